import { spawn, type ChildProcess } from "node:child_process";

/**
 * Just enough of W3C WebDriver (HTTP on loopback) to drive WebKitGTK, Safari's engine, through
 * Debian's WebKitWebDriver under a virtual display: Playwright's WebKit is a build of its own
 * that cannot be installed here.
 */
export class WebKitSession {
  private constructor(
    private readonly driver: ChildProcess,
    private readonly port: number,
    private readonly id: string,
  ) {}

  static async start(port: number): Promise<WebKitSession> {
    const driver = spawn(
      "xvfb-run",
      ["-a", process.env.WEBKIT_DRIVER ?? "WebKitWebDriver", `--port=${port}`],
      {
        stdio: "ignore",
        detached: true,
      },
    );
    let lastError: unknown;
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 250));
      try {
        const value = await request(port, "POST", "/session", { capabilities: { alwaysMatch: {} } });
        return new WebKitSession(driver, port, (value as { sessionId: string }).sessionId);
      } catch (err) {
        lastError = err;
      }
    }
    kill(driver);
    throw new Error(`WebKitWebDriver did not start: ${String(lastError)}`);
  }

  goto(url: string): Promise<unknown> {
    return this.call("POST", "url", { url });
  }

  run<T>(script: string): Promise<T> {
    return this.call("POST", "execute/sync", { script, args: [] }) as Promise<T>;
  }

  /** An async script: it calls arguments[0] with its result. */
  runAsync<T>(script: string): Promise<T> {
    return this.call("POST", "execute/async", { script, args: [] }) as Promise<T>;
  }

  async close(): Promise<void> {
    try {
      await this.call("DELETE", "");
    } finally {
      kill(this.driver);
    }
  }

  private call(method: string, path: string, body?: unknown): Promise<unknown> {
    return request(this.port, method, `/session/${this.id}${path ? `/${path}` : ""}`, body);
  }
}

async function request(port: number, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as { value: unknown };
  if (!res.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.value)}`);
  return json.value;
}

function kill(p: ChildProcess): void {
  try {
    if (p.pid) process.kill(-p.pid, "SIGTERM");
  } catch {
    // already gone
  }
}
