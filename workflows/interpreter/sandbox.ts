/**
 * Runs once per workflow thread, inside Temporal's shared workflow context, before the SDK freezes
 * its globals (it is a preloaded module: see bundle-options.ts); never imported by workflow code.
 *
 * The SDK's promise hook captures a stack trace for every promise a workflow creates (for the
 * `__stack_trace` query); with V8's default of 10 frames that capture was 12-20% of the worker's
 * workflow CPU in bench/api-conversations.ts. Without frames, errors thrown by the interpreter
 * still carry their messages (which name the node), and activities, which run outside the
 * sandbox, keep their full stacks; the stack-trace query answers with empty stacks.
 */
Error.stackTraceLimit = 0;

export {};
