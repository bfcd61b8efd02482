/**
 * Runs asynchronous steps one after another: a step starts once the previous one settled, whether it succeeded
 * or not. A failure still rejects the caller's promise and is also handed to onError; it never blocks the queue.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly onError: (e: unknown) => void) {}

  run(step: () => Promise<void>): Promise<void> {
    const next = this.tail.then(step, step);
    this.tail = next.catch(this.onError);
    return next;
  }
}
