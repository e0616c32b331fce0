import type { Command } from 'commander';

/** One or two examples per command, shown at the end of its --help. */
const EXAMPLES: Record<string, string[]> = {
  diff: ['jury diff reports/tempo-v1/report.json reports/tempo-v2/report.json', 'jury diff base.json candidate.json --by metadata.genre --format md > diff.md'],
  gate: ['jury gate reports/latest/report.json --min-mean 3.5', 'jury gate report.json --baseline main.json --junit gate.xml --html'],
  agreement: ['jury agreement ratings.csv --level ordinal --ci', 'jury agreement labels.csv --criterion dialogue_overall --format json'],
  calibrate: ['jury calibrate reports/tempo-v2/report.json --labels datasets/music-recs/labels-v2.csv', 'jury calibrate report.json --labels labels.csv --consensus dawid-skene'],
  annotators: ['jury annotators datasets/music-recs/labels-v2.csv --report reports/tempo-v2/report.json', 'jury annotators dices-labels.csv --gold dices-gold.csv --format json > audit.json'],
  review: ['jury review export reports/latest/report.json -o review.csv --top 20', 'jury review import review.csv --labels labels.csv'],
  'review export': ['jury review export reports/latest/report.json -o review.json --audit 0.05', 'jury review export report.json --labels labels.csv --uncertain 20 --top 0 --audit 0 -o adjudicate.csv'],
  'review import': ['jury review import review.csv --labels labels.csv --annotator ana', 'jury review import adjudicate.csv --labels labels.csv --annotator lead --adjudicated'],
  'import dices': ['jury import dices dices_350_crowdsourced.json --expert dices_350_expert.json --positions-are-raters -o dices'],
  import: ['jury import otel traces.jsonl -o imported', 'jury import crsarena-dial ../shared/datasets/crsarena-dial -o crsarena'],
  'import ab-redial': ['jury import ab-redial annotated_dialogues.csv -o ab-redial'],
  'import verdicts': ['jury import verdicts judgments.jsonl --label external'],
  merge: ['jury merge reports/latest-shard-1of2 reports/latest-shard-2of2'],
  power: ['jury power reports/tempo-v2/report.json --effect 0.3', 'jury power report.json --baseline rerun.json --primary relevance'],
  rank: ['jury rank ../shared/datasets/crsarena-dial/votes_open.csv ../shared/datasets/crsarena-dial/votes_closed.csv', 'jury rank human_votes.csv --cluster question_id --format json > ranking.json'],
  bias: ['jury bias reports/tempo-v1/report.json', 'jury bias report.json --criteria relevance --format md'],
};

/** Adds the examples above to their commands; the others (run, validate, view, init, …) carry their own. */
export function withExamples(command: Command, prefix = ''): void {
  for (const sub of command.commands) {
    const path = prefix ? `${prefix} ${sub.name()}` : sub.name();
    const examples = EXAMPLES[path];
    if (examples) sub.addHelpText('after', `\n${examples.length > 1 ? 'Examples' : 'Example'}:\n${examples.map((e) => `  ${e}`).join('\n')}`);
    withExamples(sub, path);
  }
}
