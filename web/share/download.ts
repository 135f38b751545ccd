/** Save a file the way a browser downloads one: a blob: link clicked, nothing sent anywhere. */
export function download(name: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.rel = "noopener";
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** `ucsnoop-<what>-<YYYYMMDD-HHMM>.<ext>`, the stem made safe for every file system. */
export function fileName(what: string, ext: string, now = new Date()): string {
  const stem =
    what
      .replace(/\.[^.]*$/, "")
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .replace(/^-+|(?<!-)-+$/g, "") || "trace";
  const p = (n: number) => String(n).padStart(2, "0");
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}`;
  return `ucsnoop-${stem.slice(0, 60)}-${stamp}.${ext}`;
}
