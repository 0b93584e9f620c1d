// The dashboard's pure part, loaded by the page and by its unit test. The page subscribes first and
// buffers the live feed while it fetches a day's history, so no level published in between is lost;
// this merges the two. An index's levels carry increasing sequences and the history holds (one per
// second of) every level of its day up to its last sequence: a buffered level at or below that is
// already drawn, and drawing it again would replace a second's last value with an earlier one.

/** The levels from a feed of one index in sequence, each once (a redelivery keeps its first copy). */
function inSequence(levels) {
  const bySequence = new Map();
  for (const level of levels) if (!bySequence.has(level.sequence)) bySequence.set(level.sequence, level);
  return [...bySequence.values()].sort((a, b) => a.sequence - b.sequence);
}

/**
 * Merges a day's history points with the live levels buffered while it loaded. `day` bounds the
 * history's trading day in event time (null: no session, every level counts as that day's).
 * Returns the points to draw, the day's latest buffered level (the one to show), and the buffered
 * levels of a later day, in sequence (the page handles them live: they roll it over again).
 */
export function mergeHistory(history, buffered, day) {
  const drawnUpTo = history.at(-1)?.sequence ?? Number.NEGATIVE_INFINITY;
  const live = inSequence(buffered);
  const sameDay = live.filter(
    (level) => day === null || (level.eventTime >= day.start && level.eventTime < day.end),
  );
  const newer = sameDay.filter((level) => level.sequence > drawnUpTo);
  return {
    points: [...history, ...newer.map(({ eventTime, sequence, level }) => ({ eventTime, sequence, level }))],
    latest: sameDay.at(-1) ?? null,
    later: day === null ? [] : live.filter((level) => level.eventTime >= day.end),
  };
}
