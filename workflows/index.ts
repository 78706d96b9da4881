// The workflows the worker registers. The flow interpreter is exported from here.
export {};
