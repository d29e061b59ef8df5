# kernel_secrets_module(<name> SOURCES <files> [DEPENDS <modules>] [LIBRARIES <packages>])
#
# One folder of the product is one static library, kernel_secrets_<name>, that links the modules
# it DEPENDS on and nothing else of ours. The declarations are the layering: the test
# unit.layering (tests/layering/check_includes.sh) refuses an include of a module that its folder
# did not declare, so a new dependency is a visible change to a CMakeLists.txt. The layers are in
# docs/architecture.md#code-layout.
function(kernel_secrets_module name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;DEPENDS;LIBRARIES")
  add_library(kernel_secrets_${name} STATIC ${arg_SOURCES})
  target_include_directories(kernel_secrets_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  list(TRANSFORM arg_DEPENDS PREPEND kernel_secrets_ OUTPUT_VARIABLE module_libraries)
  target_link_libraries(kernel_secrets_${name} PUBLIC ${module_libraries} ${arg_LIBRARIES})
  set_property(GLOBAL APPEND PROPERTY kernel_secrets_module_libraries kernel_secrets_${name})

  # One line per module for the layering check: its folder, then the folders it may include.
  set(folders)
  foreach(dependency IN LISTS arg_DEPENDS)
    get_property(folder GLOBAL PROPERTY kernel_secrets_module_folder_${dependency})
    if(NOT folder)
      message(FATAL_ERROR "module ${name} depends on ${dependency}, which is not declared (yet)")
    endif()
    list(APPEND folders ${folder})
  endforeach()
  file(RELATIVE_PATH own_folder ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
  set_property(GLOBAL PROPERTY kernel_secrets_module_folder_${name} ${own_folder})
  list(JOIN folders " " allowed)
  set_property(GLOBAL APPEND_STRING PROPERTY kernel_secrets_layers "${own_folder}: ${allowed}\n")
endfunction()

