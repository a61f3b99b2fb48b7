# Writes the version source (cmake -P, at every build): the release, and the
# commit from, in order, -DACCORD_COMMIT=..., `git rev-parse` (with "-dirty"
# when the work tree differs), or packaging/commit.txt, which `git archive`
# fills in (export-subst) so that a release tarball knows its commit.
# configure_file rewrites the output only when it changes.
set(commit "")
if(ACCORD_COMMIT)
  set(commit "${ACCORD_COMMIT}")
endif()
if(commit STREQUAL "" AND EXISTS "${SOURCE}/.git")
  execute_process(COMMAND git -C "${SOURCE}" rev-parse --short=12 HEAD
                  OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE rc ERROR_QUIET)
  if(NOT rc EQUAL 0)
    set(commit "")
  else()
    execute_process(COMMAND git -C "${SOURCE}" diff --quiet HEAD --
                    RESULT_VARIABLE dirty ERROR_QUIET)
    if(NOT dirty EQUAL 0)
      string(APPEND commit "-dirty")
    endif()
  endif()
endif()
if(commit STREQUAL "" AND EXISTS "${SOURCE}/packaging/commit.txt")
  file(STRINGS "${SOURCE}/packaging/commit.txt" archived LIMIT_COUNT 1)
  if(archived MATCHES "^[0-9a-f]+$")
    string(SUBSTRING "${archived}" 0 12 commit)
  endif()
endif()
if(commit STREQUAL "")
  set(commit "unknown")
endif()
set(ACCORD_RELEASE "${RELEASE}")
set(ACCORD_COMMIT_ID "${commit}")
configure_file("${SOURCE}/engine/core/version.cc.in" "${OUT}" @ONLY)
