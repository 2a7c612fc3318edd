# The install-consumer test (cmake -P): installs the build in BUILD_DIR into a fresh
# prefix, builds examples/plugin out of tree against it (find_package(patchbay) and
# patchbay_add_plugin, then pkg-config), and runs the example's model with the installed
# patchbay; then builds and runs examples/load-balance the same way. Nothing from the source or build tree is used after the install.
cmake_minimum_required(VERSION 3.25)

foreach(var BUILD_DIR SOURCE_DIR WORK_DIR GENERATOR CXX_COMPILER LIBDIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "install_consumer.cmake needs -D ${var}=...")
  endif()
endforeach()

set(prefix ${WORK_DIR}/prefix)
set(example ${SOURCE_DIR}/examples/plugin)
set(consumer ${WORK_DIR}/build)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# Runs a command; stops the test with its output when it fails. Output in <out_var>.
function(run out_var)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${WORK_DIR}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "failed (${rc}): ${cmd}\n--- stdout\n${out}\n--- stderr\n${err}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

function(expect text pattern what)
  string(FIND "${text}" "${pattern}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${what}: expected to find\n  ${pattern}\nin\n${text}")
  endif()
endfunction()

# 1. Install.
run(out ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(file bin/patchbay ${LIBDIR}/libpatchbay.so include/patchbay/patchbay.hpp
             include/patchbay/plugin.hpp include/patchbay/detail/macros.hpp
             ${LIBDIR}/cmake/patchbay/patchbayConfig.cmake
             ${LIBDIR}/cmake/patchbay/patchbayConfigVersion.cmake
             ${LIBDIR}/pkgconfig/patchbay.pc)
  if(NOT EXISTS ${prefix}/${file})
    message(FATAL_ERROR "the install did not put ${file} under the prefix")
  endif()
endforeach()
file(READ_ELF ${prefix}/bin/patchbay RUNPATH runpath)
if(NOT runpath STREQUAL "$ORIGIN/../${LIBDIR}")
  message(FATAL_ERROR "the installed patchbay has RUNPATH '${runpath}', expected '$ORIGIN/../${LIBDIR}'")
endif()

# 2. Configure and build the example against the prefix, with the same generator.
set(configure ${CMAKE_COMMAND} -S ${example} -B ${consumer} -G ${GENERATOR}
    -D CMAKE_PREFIX_PATH=${prefix} -D CMAKE_CXX_COMPILER=${CXX_COMPILER})
if(MAKE_PROGRAM)
  list(APPEND configure -D CMAKE_MAKE_PROGRAM=${MAKE_PROGRAM})
endif()
if(BUILD_TYPE)
  list(APPEND configure -D CMAKE_BUILD_TYPE=${BUILD_TYPE})
endif()
run(out ${configure})
file(STRINGS ${consumer}/CMakeCache.txt found REGEX "^patchbay_DIR:")
expect("${found}" "${prefix}/${LIBDIR}/cmake/patchbay" "find_package(patchbay) found another patchbay")
run(out ${CMAKE_COMMAND} --build ${consumer})
# Hidden visibility: the entry point is exported, the component class is not.
find_program(NM nm REQUIRED)
run(symbols ${NM} -D --defined-only ${consumer}/libthreshold.so)
expect("${symbols}" " T patchbay_plugin_abi" "the plugin's exported symbols")
string(FIND "${symbols}" "5Above" at)
if(NOT at EQUAL -1)
  message(FATAL_ERROR "the plugin exports its component class (hidden visibility expected):\n${symbols}")
endif()

# 3. Run the model with the installed command: the plugin through PATCHBAY_PLUGIN_PATH and
#    the model's `plugins:`, libpatchbay through the command's RUNPATH; then the same model
#    on three worker processes (the installed patchbay started as each worker, each loading
#    the plugin).
set(patchbay ${CMAKE_COMMAND} -E env --unset=LD_LIBRARY_PATH ${prefix}/bin/patchbay)
set(with_path ${CMAKE_COMMAND} -E env --unset=LD_LIBRARY_PATH PATCHBAY_PLUGIN_PATH=${consumer}
    ${prefix}/bin/patchbay)
run(out ${with_path} run ${example}/model.yaml)
if(NOT out STREQUAL "above 6: 7\nabove 6: 8\nabove 6: 9\n")
  message(FATAL_ERROR "the example model printed\n${out}")
endif()
file(READ ${example}/model.yaml text)
string(REPLACE "patchbay:\n" "patchbay:\n  process: {type: multiprocess, args: {workers: 3}}\n" text "${text}")
file(WRITE ${WORK_DIR}/model-multiprocess.yaml "${text}")
run(out ${with_path} run ${WORK_DIR}/model-multiprocess.yaml)
if(NOT out STREQUAL "above 6: 7\nabove 6: 8\nabove 6: 9\n")
  message(FATAL_ERROR "the example model on three workers printed\n${out}")
endif()
run(out ${with_path} validate ${example}/model.yaml)
expect("${out}" "model.yaml: ok (3 components, 2 connectors, process local)" "validate")
run(out ${patchbay} components --plugin ${consumer}/libthreshold.so)
expect("${out}" "threshold.Above  passes x on when it is above limit  [${consumer}/libthreshold.so]" "components")
expect("${out}" "param   limit (int64, default 0)  values above this pass" "components")
run(out ${patchbay} schema --plugin ${consumer}/libthreshold.so)
expect("${out}" "\"const\": \"threshold.Above\"" "schema")

# 4. The pkg-config file builds the same plugin by hand.
find_program(PKG_CONFIG pkg-config REQUIRED)
run(flags ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${prefix}/${LIBDIR}/pkgconfig
    ${PKG_CONFIG} --cflags --libs patchbay)
string(STRIP "${flags}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
file(MAKE_DIRECTORY ${WORK_DIR}/pkg-config)
run(out ${CXX_COMPILER} -std=c++20 -fPIC -shared -fvisibility=hidden ${example}/threshold.cpp ${flags}
    -o ${WORK_DIR}/pkg-config/libthreshold.so)
run(out ${patchbay} components --plugin ${WORK_DIR}/pkg-config/libthreshold.so)
expect("${out}" "threshold.Above  passes x on when it is above limit  [${WORK_DIR}/pkg-config/libthreshold.so]"
       "components (pkg-config build)")

# 5. A worked example with a plugin of its own (examples/load-balance) builds against the
#    prefix too, and its replicated model runs on two workers with the installed command.
set(balance ${SOURCE_DIR}/examples/load-balance)
set(configure ${CMAKE_COMMAND} -S ${balance} -B ${WORK_DIR}/load-balance -G ${GENERATOR}
    -D CMAKE_PREFIX_PATH=${prefix} -D CMAKE_CXX_COMPILER=${CXX_COMPILER})
if(MAKE_PROGRAM)
  list(APPEND configure -D CMAKE_MAKE_PROGRAM=${MAKE_PROGRAM})
endif()
run(out ${configure})
run(out ${CMAKE_COMMAND} --build ${WORK_DIR}/load-balance)
run(out ${CMAKE_COMMAND} -E env --unset=LD_LIBRARY_PATH PATCHBAY_PLUGIN_PATH=${WORK_DIR}/load-balance
    ${prefix}/bin/patchbay run ${balance}/farm-multiprocess.yaml --set tasks.short_seconds=0.001
    --set table.path=${WORK_DIR}/farm.svg)
expect("${out}" "146 tasks on 12 lanes in" "the load-balance example on two workers")

file(REMOVE_RECURSE ${WORK_DIR})  # kept when a step fails, to look at
