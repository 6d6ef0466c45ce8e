import { describe, expect, it } from "vitest";
import { Turns } from "../../server/turns";

/** Reads take turns (server/turns.ts): at most `limit` at once, the rest in the order they came. */

const open = () => new AbortController().signal;

describe("turns", () => {
  it("gives at most `limit` turns at once and the next ones in the order they were asked for", async () => {
    const turns = new Turns(2);
    const first = await turns.take(open());
    const second = await turns.take(open());
    expect(typeof first).toBe("function");
    expect(typeof second).toBe("function");
    const started: number[] = [];
    const later = [3, 4, 5].map((n) =>
      turns.take(open()).then((turn) => {
        started.push(n);
        return turn;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([]);
    expect(turns.counts).toEqual({ active: 2, waiting: 3 });

    (second as () => void)();
    const third = await later[0];
    expect(started).toEqual([3]);
    expect(turns.counts).toEqual({ active: 2, waiting: 2 });

    (first as () => void)();
    (third as () => void)();
    await Promise.all(later);
    expect(started).toEqual([3, 4, 5]);
    expect(turns.counts).toEqual({ active: 2, waiting: 0 });
  });

  it("gives a turn back once, however many times it is given back", async () => {
    const turns = new Turns(1);
    const turn = (await turns.take(open())) as () => void;
    const waiting = turns.take(open());
    turn();
    turn();
    turn();
    const next = (await waiting) as () => void;
    expect(turns.counts).toEqual({ active: 1, waiting: 0 });
    next();
    expect(turns.counts).toEqual({ active: 0, waiting: 0 });
  });

  it("forgets a request whose client went away while it waited, and never starts it", async () => {
    const turns = new Turns(1);
    const turn = (await turns.take(open())) as () => void;
    const leaving = new AbortController();
    const gone = turns.take(leaving.signal);
    const staying = turns.take(open());
    leaving.abort();
    expect(await gone).toBe("gone");
    expect(turns.counts).toEqual({ active: 1, waiting: 1 });
    turn();
    expect(typeof (await staying)).toBe("function");
    expect(turns.counts).toEqual({ active: 1, waiting: 0 });
  });

  it("a request already abandoned takes no turn", async () => {
    const turns = new Turns(1);
    const gone = new AbortController();
    gone.abort();
    expect(await turns.take(gone.signal)).toBe("gone");
    expect(turns.counts).toEqual({ active: 0, waiting: 0 });
  });

  it("answers busy past the longest queue, and queues again once there is room", async () => {
    const turns = new Turns(1, 2);
    const turn = (await turns.take(open())) as () => void;
    const queued = [turns.take(open()), turns.take(open())];
    expect(await turns.take(open())).toBe("busy");
    expect(turns.counts).toEqual({ active: 1, waiting: 2 });
    turn();
    await queued[0];
    const again = turns.take(open());
    expect(turns.counts).toEqual({ active: 1, waiting: 2 });
    ((await queued[0]) as () => void)();
    ((await queued[1]) as () => void)();
    ((await again) as () => void)();
    expect(turns.counts).toEqual({ active: 0, waiting: 0 });
  });
});
