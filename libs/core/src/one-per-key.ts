/**
 * A factory made once per key object and remembered while the key lives: e.g.
 * a service's metrics per prom-client registry, where several instances of the
 * service share one process and one registry, and a metric name may be
 * registered only once.
 */
export function onePerKey<K extends object, T>(make: (key: K) => T): (key: K) => T {
  const made = new WeakMap<K, T>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) {
      value = make(key);
      made.set(key, value);
    }
    return value;
  };
}
