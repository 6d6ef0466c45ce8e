import { describe, expect, it } from "vitest";
import { answeredCorrectly, scoreGain, scorePercent, shuffledFor, summarise } from "~/lib/knowledge-tests";

describe("knowledge-test arithmetic", () => {
  it("averages the normalised gain only over people who could still improve, and counts improvement strictly", () => {
    const s = summarise([
      { pre: 50, post: 75 },
      { pre: 100, post: 100 },
      { pre: 80, post: 70 },
      { pre: 40, post: null },
      { pre: null, post: 90 },
    ]);
    expect(s).toMatchObject({ paired: 3, preTaken: 4, postTaken: 4, improved: 1, normalisedCount: 2 });
    expect(s.meanPre).toBeCloseTo(230 / 3, 5);
    expect(s.meanPost).toBeCloseTo(245 / 3, 5);
    expect(s.meanGain).toBeCloseTo(15 / 3, 5);
    expect(s.normalisedGain).toBeCloseTo((0.5 + -0.5) / 2, 5);
    expect(s.improvedShare).toBeCloseTo(1 / 3, 5);
    expect(summarise([])).toMatchObject({ paired: 0, meanPre: null, meanGain: null, normalisedGain: null, improvedShare: null });
  });

  it("scores a question right only when exactly its correct options were chosen", () => {
    expect(answeredCorrectly([3, 1], [1, 3])).toBe(true);
    expect(answeredCorrectly([1], [1, 3])).toBe(false);
    expect(answeredCorrectly([1, 3, 4], [1, 3])).toBe(false);
    expect(answeredCorrectly([], [])).toBe(false);
    expect(scorePercent(14, 15)).toBe(93.3);
    expect(scorePercent(2, 3)).toBe(66.7);
    expect(scorePercent(0, 0)).toBe(0);
  });

  it("gives a person's gain from the raw scores, not from the two rounded percentages", () => {
    // 46.7 → 73.3 shown; the true gain is 26.67 points (the rounded figures' difference is 26.6)
    expect(scoreGain({ correct: 7, total: 15 }, { correct: 11, total: 15 })).toBe(26.7);
    expect(scoreGain({ correct: 8, total: 15 }, { correct: 12, total: 15 })).toBe(26.7);
    expect(scoreGain({ correct: 9, total: 15 }, { correct: 8, total: 15 })).toBe(-6.7);
    expect(scoreGain({ correct: 5, total: 15 }, { correct: 10, total: 15 })).toBe(33.3);
    expect(Object.is(scoreGain({ correct: 3, total: 15 }, { correct: 3, total: 15 }), 0)).toBe(true);
    // a paper score out of another total
    expect(scoreGain({ correct: 1, total: 3 }, { correct: 9, total: 10 })).toBe(56.7);
  });

  it("shuffles the same way for the same person and question, differently across people, keeping every option", () => {
    const options = ["a", "b", "c", "d"];
    expect(shuffledFor(options, 7, 12)).toEqual(shuffledFor(options, 7, 12));
    expect([...shuffledFor(options, 7, 12)].sort()).toEqual(options);
    const orders = new Set(Array.from({ length: 20 }, (_, person) => shuffledFor(options, person + 1, 12).join("")));
    expect(orders.size).toBeGreaterThan(5);
    expect(options).toEqual(["a", "b", "c", "d"]);
  });
});
