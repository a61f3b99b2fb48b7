# Runs ${ACCORD} with ${ARGS} ('|'-separated) and fails unless it exits with
# ${EXPECT}: exit codes as a shell or pipeline sees them.
string(REPLACE "|" ";" args "${ARGS}")
execute_process(COMMAND ${ACCORD} ${args} RESULT_VARIABLE status OUTPUT_QUIET ERROR_QUIET)
if(NOT status EQUAL EXPECT)
  message(FATAL_ERROR "accord ${args}: exit ${status}, expected ${EXPECT}")
endif()
