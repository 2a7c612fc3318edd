# patchbay_add_plugin(<name> SOURCES <file>... [LINK_LIBRARIES <target>...])
#
# Builds a patchbay plugin, lib<name>.so: a MODULE library compiled as C++20 with hidden
# symbol visibility (only the PATCHBAY_PLUGIN() entry point is exported), linked to
# patchbay::engine. Load it with `plugins:` in a model or `patchbay --plugin`.
function(patchbay_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;LINK_LIBRARIES")
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "patchbay_add_plugin(${name}): no SOURCES given")
  endif()
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "patchbay_add_plugin(${name}): unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  add_library(${name} MODULE ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE patchbay::engine ${arg_LINK_LIBRARIES})
  target_compile_features(${name} PRIVATE cxx_std_20)
  set_target_properties(${name} PROPERTIES
    CXX_EXTENSIONS OFF
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
endfunction()
