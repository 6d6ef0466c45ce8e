/**
 * Reads take turns (READ_CONCURRENCY, docs/performance.md "Reads take turns"): a server process
 * works on at most `limit` GET and HEAD requests at once; the others wait in the order they came.
 *
 * Node would otherwise start every request as it arrives and interleave them: ten pages rendered
 * side by side each wait for the other nine at every step, all finish late, and their objects
 * live long enough to be copied into the old space and collected there. One or two at a time,
 * each page is done in its own few milliseconds; measured at scale 10 (events list, ten
 * connections): server CPU a page 17–21 → 13–15 ms, the slowest responses ~20% sooner.
 *
 * Only reads wait: a write's body arrives at the pace of the sender (an attachment from a phone),
 * and a turn held while it uploads would stop everyone's pages. A turn is held until the answer is
 * written to the connection (not until the client has read it: a slow reader holds no turn). A
 * request whose client went away while it waited is never worked on. Past `maxWaiting` waiting
 * requests, new ones are answered at once with 503 (a flood queues no more than that).
 */
export class Turns {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly limit: number,
    readonly maxWaiting = 1_000,
  ) {}

  /** Requests being worked on and waiting now. */
  get counts() {
    return { active: this.active, waiting: this.waiting.length };
  }

  /**
   * Waits for a turn. Resolves with the function that gives it back (once, however many times it
   * is called), or with "gone" if the signal aborted first (nothing is held then), or "busy" if
   * too many already wait.
   */
  take(signal: AbortSignal): Promise<(() => void) | "gone" | "busy"> {
    if (signal.aborted) return Promise.resolve("gone");
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.maxWaiting) return Promise.resolve("busy");
    return new Promise((resolve) => {
      const start = () => {
        signal.removeEventListener("abort", leave);
        this.active++;
        resolve(this.releaser());
      };
      const leave = () => {
        const at = this.waiting.indexOf(start);
        if (at >= 0) this.waiting.splice(at, 1);
        resolve("gone");
      };
      this.waiting.push(start);
      signal.addEventListener("abort", leave, { once: true });
    });
  }

  private releaser() {
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.active--;
      // the next in line starts now: active goes back up before anything else can take the turn
      this.waiting.shift()?.();
    };
  }
}
