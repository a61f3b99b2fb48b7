# Runs ${ACCORD} ${ARGS} and fails unless it exits with ${EXPECT}.
execute_process(COMMAND ${ACCORD} ${ARGS} RESULT_VARIABLE status OUTPUT_QUIET ERROR_QUIET)
if(NOT status EQUAL EXPECT)
  message(FATAL_ERROR "accord ${ARGS}: exit ${status}, expected ${EXPECT}")
endif()
