# Install rules: headers, libpatchbay, the patchbay command, a CMake package
# (find_package(patchbay) with patchbay::engine, patchbay::cli and patchbay_add_plugin())
# and a pkg-config file. Paths are relative, so the tree can be installed under any prefix
# (cmake --install BUILD --prefix DIR).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(PATCHBAY_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/patchbay)

install(TARGETS patchbay patchbay_cli EXPORT patchbayTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
# The worker program, where the library looks for it (LIBDIR/patchbay/patchbay-worker).
install(TARGETS patchbay_worker RUNTIME DESTINATION ${CMAKE_INSTALL_LIBDIR}/patchbay)
# detail/ holds what the public macros expand to: plugins need it too.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/engine/include/patchbay
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.hpp")

install(EXPORT patchbayTargets NAMESPACE patchbay:: DESTINATION ${PATCHBAY_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/patchbayConfig.cmake.in
  ${PROJECT_BINARY_DIR}/patchbayConfig.cmake
  INSTALL_DESTINATION ${PATCHBAY_CMAKE_DIR})
# Before 1.0 a minor version may change the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/patchbayConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/patchbayConfig.cmake
  ${PROJECT_BINARY_DIR}/patchbayConfigVersion.cmake
  ${CMAKE_CURRENT_LIST_DIR}/patchbayAddPlugin.cmake
  DESTINATION ${PATCHBAY_CMAKE_DIR})

# The .pc file finds the prefix from its own place (${pcfiledir}), like the CMake package.
file(RELATIVE_PATH PATCHBAY_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" PATCHBAY_PC_TO_PREFIX "${PATCHBAY_PC_TO_PREFIX}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/patchbay.pc.in ${PROJECT_BINARY_DIR}/patchbay.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/patchbay.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# The documentation, the schema of model files and the examples, for people using an
# installed patchbay (share/doc/patchbay/).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/configs/patchbay.schema.json
  DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/configs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/configs)
