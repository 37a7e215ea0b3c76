// The records the host would send, from the shared factories (test/support/turns.ts) that the benchmarks
// use too; `turn` is the view of a turn.
export { CONV, T0, attachment, chain, chip, draftChip, snapshot, turnView as turn, viewState } from '../../support/turns';
