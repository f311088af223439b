// Run as the engine thread by contextHost.test.ts (through tsx): the engine as the loader starts it
// (engineThreadLoader.ts), with a code-cache save after the first build that reports itself in a log line. It lets the
// caller's next message, once the first build's result is posted, be taken up at once — before anything the thread
// put off to its next turn — as a caller that disposes the engine as soon as it has built (the CLI) can have it.
import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import { startEngine } from '../../../src/core/context/contextHostWorker';

const port = parentPort;
if (!port) throw new Error('disposingCallerEngine must run in a worker thread');
const post = port.postMessage.bind(port);
let buildAnswered = false;
let disposeAnswered = false;
let disposeId: number | undefined;
port.postMessage = (message: unknown): void => {
  post(message);
  const answer = message as { type?: unknown; id?: unknown };
  if (answer.type !== 'result') return;
  if (answer.id === disposeId) disposeAnswered = true;
  if (buildAnswered) return;
  buildAnswered = true;
  // The caller's next message (its dispose request), handed to the engine now. (Waits for it: the caller posts it as
  // soon as it has the build's result.)
  const deadline = Date.now() + 10_000;
  let next = receiveMessageOnPort(port);
  while (next === undefined && Date.now() < deadline) next = receiveMessageOnPort(port);
  if (next === undefined) return;
  const request = next.message as { method?: unknown; id?: unknown };
  if (request.method === 'dispose' && typeof request.id === 'number') disposeId = request.id;
  port.emit('message', next.message);
};

startEngine({
  afterFirstBuild: (kind) =>
    post({ type: 'log', level: 'info', message: disposeAnswered ? 'code cache saved after the dispose was answered' : `code cache saved after a start that ${kind}` }),
});
