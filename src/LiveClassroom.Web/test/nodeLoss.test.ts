// Unit tests of the page's rule for a MediaNodeLost older than the answer (issue #17), run by `npm test` (Node's test
// runner on the compiled file; scripts/test.sh runs it with the .NET suites).
import assert from "node:assert/strict";
import { test } from "node:test";
import { NodeLossWatch } from "../src/media/nodeLoss.js";

test("a loss numbered below the answer of the current peer reaches the page after it: ignored", () => {
  const w = new NodeLossWatch();
  w.newPeer();
  w.answeredAt(42);
  assert.equal(w.lost(40), false);
  assert.equal(w.lost(42), false, "numbered as the answer: the grain knew it when it placed this peer");
  assert.equal(w.rebuildWanted, false);
});

test("a loss numbered above the answer of the current peer: a fresh peer connection, once", () => {
  const w = new NodeLossWatch();
  w.answeredAt(42);
  assert.equal(w.lost(43), true);
  assert.equal(w.rebuildWanted, true);
  w.newPeer();
  assert.equal(w.rebuildWanted, false, "the fresh peer connection was the rebuild the loss asked for");
});

test("a loss that arrives while the fallback's fresh peer is negotiated, and its answer is newer: no second offer", () => {
  const w = new NodeLossWatch();
  w.answeredAt(10);
  w.newPeer(); // the page's own silence fallback rebuilt before the event came
  assert.equal(w.lost(12), true, "nothing answered on the fresh peer yet");
  w.answeredAt(15); // the negotiation in flight was placed after the loss
  assert.equal(w.rebuildWanted, false);
});

test("a loss that arrives while a negotiation is in flight, and its answer is older: still a fresh peer", () => {
  const w = new NodeLossWatch();
  w.newPeer();
  assert.equal(w.lost(12), true);
  w.answeredAt(11); // placed before the loss, on the node that is now lost
  assert.equal(w.rebuildWanted, true);
});

test("an answer without a sequence (an older server): every loss concerns the peer, as before", () => {
  const w = new NodeLossWatch();
  w.newPeer();
  w.answeredAt(undefined);
  assert.equal(w.answeredSequence, -1);
  assert.equal(w.lost(1), true);
});

test("a renegotiation on the same peer answered later moves its sequence up, never down", () => {
  const w = new NodeLossWatch();
  w.answeredAt(20);
  w.answeredAt(30);
  assert.equal(w.concerns(25), false);
  w.answeredAt(5);
  assert.equal(w.concerns(25), false);
  assert.equal(w.concerns(31), true);
});
