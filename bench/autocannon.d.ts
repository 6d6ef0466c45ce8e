/** The part of autocannon's API the benchmark uses (the package ships no types). */
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  export type Options = {
    url: string;
    connections?: number;
    /** seconds */
    duration?: number;
    /** a number of requests instead of a duration */
    amount?: number;
    headers?: Record<string, string>;
    /** seconds */
    timeout?: number;
  };

  export type Result = {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    "2xx": number;
    requests: { total: number; average: number };
    throughput: { total: number; average: number };
    latency: Record<string, number>;
    statusCodeStats: Record<string, { count: number }>;
  };

  /** Emits "response" (client, statusCode, resBytes, responseTime in ms) for every response. */
  export type Instance = EventEmitter & { stop(): void };

  function autocannon(options: Options, done: (error: Error | null, result: Result) => void): Instance;
  export default autocannon;
}
