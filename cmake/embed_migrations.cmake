# Writes OUTPUT, a .cpp defining webgames::NAMESPACE::migrations() (declared in
# NAMESPACE/migrations.h) from the NNN_name.sql files in DIR. Run by CMake at
# build time whenever a file changes; used for src/sqlite and src/postgres.
file(GLOB files "${DIR}/*.sql")
list(SORT files)
set(entries "")
set(bodies "")
set(i 0)
foreach(f ${files})
  get_filename_component(base "${f}" NAME_WE)
  string(REGEX MATCH "^([0-9]+)_(.*)$" _ "${base}")
  math(EXPR version "${CMAKE_MATCH_1}")
  file(READ "${f}" sql)
  string(APPEND bodies "constexpr char kSql${i}[] = R\"webgames_sql(${sql})webgames_sql\";\n")
  string(APPEND entries "    {${version}, \"${CMAKE_MATCH_2}\", kSql${i}},\n")
  math(EXPR i "${i} + 1")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from src/${NAMESPACE}/migrations by cmake/embed_migrations.cmake. Do not edit.\n#include \"${NAMESPACE}/migrations.h\"\n\nnamespace webgames::${NAMESPACE} {\nnamespace {\n${bodies}constexpr Migration kMigrations[] = {\n${entries}};\n}  // namespace\n\nstd::span<const Migration> migrations() { return kMigrations; }\n\n}  // namespace webgames::${NAMESPACE}\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
