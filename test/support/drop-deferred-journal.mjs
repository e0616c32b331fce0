// Preloaded (`node --import`) into the unbundled CLI (dist/cli/bin.js): every record given to the journal's
// writeSoon is dropped, as a kill -9 before the journal took it would leave it. What --resume then finds of
// those verdicts is what the reply cache kept.
import { JournalWriter } from '../../dist/journal/journal.js';

JournalWriter.prototype.writeSoon = function dropped() {
  process.env.JURY_TEST_DROPPED = String(Number(process.env.JURY_TEST_DROPPED ?? 0) + 1);
};
process.on('exit', () => process.stderr.write(`dropped ${process.env.JURY_TEST_DROPPED ?? 0} deferred journal records\n`));
