# webgames_web_page(NAME): the build of one page of web/ (web/play, web/console):
# its packages from its lockfile (sdk/js/scripts/npm-ci), a type check with its
# tsconfig.json, then its scripts/build.mjs (esbuild) into
# ${PROJECT_BINARY_DIR}/pages/NAME, the folder `webgames serve` serves at /NAME
# (http.static_dir). The target is web_NAME, part of ALL. Sets browser_test_env
# in the caller: the environment of its browser tests (see web/play/test/support.mjs).
function(webgames_web_page name)
  set(page_dir ${CMAKE_CURRENT_SOURCE_DIR})
  file(GLOB_RECURSE page_sources CONFIGURE_DEPENDS ${page_dir}/src/*.ts ${page_dir}/static/*
       ${PROJECT_SOURCE_DIR}/web/shared/* ${PROJECT_SOURCE_DIR}/sdk/js/src/*.ts)
  add_custom_command(
    OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/npm-ci.stamp
    COMMAND ${PROJECT_SOURCE_DIR}/sdk/js/scripts/npm-ci ${page_dir}
    COMMAND ${CMAKE_COMMAND} -E touch ${CMAKE_CURRENT_BINARY_DIR}/npm-ci.stamp
    DEPENDS ${page_dir}/package.json ${page_dir}/package-lock.json ${PROJECT_SOURCE_DIR}/sdk/js/scripts/npm-ci
    COMMENT "web/${name}: npm ci (when the lockfile changed)"
    VERBATIM)
  add_custom_command(
    OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/page.stamp
    COMMAND ${WEBGAMES_NODE} ${page_dir}/node_modules/typescript/bin/tsc -p ${page_dir}/tsconfig.json
    COMMAND ${WEBGAMES_NODE} ${page_dir}/scripts/build.mjs ${PROJECT_BINARY_DIR}/pages/${name}
    COMMAND ${CMAKE_COMMAND} -E touch ${CMAKE_CURRENT_BINARY_DIR}/page.stamp
    DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/npm-ci.stamp ${page_sources} ${page_dir}/scripts/build.mjs ${page_dir}/tsconfig.json
    COMMENT "web/${name}: tsc, esbuild"
    VERBATIM)
  add_custom_target(web_${name} ALL DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/page.stamp)
  set(browser_test_env "WEBGAMES_BINARY=$<TARGET_FILE:webgames>;SHIFUMI_SERVER=$<TARGET_FILE:shifumi-server>;WEBGAMES_SOURCE_DIR=${PROJECT_SOURCE_DIR};WEBGAMES_SDK_JS=${PROJECT_BINARY_DIR}/sdk/js;WEBGAMES_STATIC_DIR=${PROJECT_BINARY_DIR}/pages;WEBGAMES_SCREENSHOTS=${PROJECT_BINARY_DIR}/screenshots" PARENT_SCOPE)
endfunction()
