/**
 * The regexes of a family built around a name (`state=...`, `id='...'`), compiled once per
 * name: `new RegExp` at every call compiled the pattern again for every record. Meant for a
 * handful of fixed names in the code, never names read from a log (the cache does not forget).
 */
export function regexPerName(source: (name: string) => string): (name: string) => RegExp {
  const compiled = new Map<string, RegExp>();
  return (name) => {
    let re = compiled.get(name);
    if (re === undefined) {
      re = new RegExp(source(name));
      compiled.set(name, re);
    }
    return re;
  };
}
