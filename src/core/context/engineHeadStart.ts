// What the engine thread starts before its own code is evaluated, so that it runs on the other core meanwhile: when
// building from nothing (no saved index to reopen), parse worker 0, whose start (Node's bootstrap of a thread, its
// script, the tree-sitter runtime) then overlaps the engine's instead of following it. A reopen parses few files or
// none: its parse workers start on demand. Nothing is started when parsing is to stay on the engine thread (no
// parse workers). ContextHost starts that worker itself, alongside this thread, and hands its ports over
// (ContextHostWorkerData.firstParser): the engine then takes them (portLink) and starts none. This thread
// starts one only when run without such a caller (the probes of the tests).
//
// In dist/ the engine thread's loader (engineThreadLoader.ts) starts it, before it reads the engine's bundle
// (compiling and evaluating that bundle's top level takes tens of ms), and leaves it in a slot of the thread's
// global object for the engine bundle's copy of this module to take: the two bundles share no module. Run from
// source, without the loader, engineThreadEntry.ts's first import (engineHeadStartNow.ts) starts it.
import { existsSync } from 'node:fs';
import type { ContextHostWorkerData } from './contextHostProtocol';
import { FolderPaths } from './folderPaths';
import { portLink, startIndexWorker, type IndexWorkerLink } from './indexWorkerStart';

export interface EngineHeadStart {
  readonly firstParser?: IndexWorkerLink;
}

const SLOT = Symbol.for('contexten.engineHeadStart');

type SlotHolder = { [SLOT]?: EngineHeadStart };

/** Starts what the engine thread starts ahead (see above). */
export function startHeadStart(data: ContextHostWorkerData): EngineHeadStart {
  // Started already, by the thread that started this one (ContextHost, see startFirstParser).
  if (data.firstParser !== undefined) return { firstParser: portLink(data.firstParser) };
  if (data.parseWorkers === 0) return {};
  if (data.savedIndexFile !== undefined && existsSync(data.savedIndexFile)) return {};
  return { firstParser: startIndexWorker(data.parseWorkerScript, data.location, data.maxFileKB * 1024, undefined, FolderPaths.of(data).folders.map((f) => f.root)) };
}

/** The loader's side: starts the head start and leaves it for the engine (takeHeadStart). */
export function leaveHeadStart(data: ContextHostWorkerData): void {
  (globalThis as SlotHolder)[SLOT] = startHeadStart(data);
}

/** The engine's side: the head start the loader left, or (none left: run from source) one started now. */
export function takeHeadStart(data: ContextHostWorkerData): EngineHeadStart {
  const holder = globalThis as SlotHolder;
  const left = holder[SLOT];
  if (left === undefined) return startHeadStart(data);
  // Taken once: the thread's global object does not keep the worker after the pool lets it go.
  delete holder[SLOT];
  return left;
}
