export interface ImportProblem {
  /** the line of the file the server stopped at, when it said */
  line: number | null;
  reason: string;
}

/** Splits the server's "FILE:LINE: reason" import error into the line and the reason. */
export function importProblem(message: string): ImportProblem {
  const m = /^[^:\n]*:(\d+):\s*([\s\S]*)$/.exec(message.trim());
  if (m) return { line: Number(m[1]), reason: m[2] };
  return { line: null, reason: message.trim() };
}
