/** A deep copy of a JSON value (the workflow sandbox has no structuredClone). */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
