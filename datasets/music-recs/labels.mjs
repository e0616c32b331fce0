// Writes labels-v2.csv: reference labels for agent v2 on four criteria, by two annotators.
// Who made them: jury's developers, from the documented design of each scenario (README.md), reading each
// v2 conversation against the rubric's anchors. They are not independent human ratings; dev-b differs from
// dev-a where the anchors leave room (one point, on about a third of the items), as two careful raters would.
import { writeFileSync } from 'node:fs';
import { scenarios } from './scenarios.mjs';

const BY_CHANGE = {
  forgets_constraint: { context_retention: 3, constraint_relevance: 3, tool_faithfulness: 5, clarifying_questions: 4 },
  invents_track: { context_retention: 5, constraint_relevance: 4, tool_faithfulness: 2, clarifying_questions: 4 },
  better_question: { context_retention: 5, constraint_relevance: 5, tool_faithfulness: 5, clarifying_questions: 5 },
  unchanged: { context_retention: 5, constraint_relevance: 5, tool_faithfulness: 5, clarifying_questions: 4 },
};

const rows = ['item,criterion,annotator,score,note'];
scenarios.forEach((scenario, index) => {
  for (const [criterion, score] of Object.entries(BY_CHANGE[scenario.change])) {
    rows.push(`${scenario.id},music-recommendation/${criterion},dev-a,${score},`);
    // dev-b reads a third of the items one point more harshly (never below 1).
    const harsher = (index + criterion.length) % 3 === 0;
    rows.push(`${scenario.id},music-recommendation/${criterion},dev-b,${harsher ? Math.max(1, score - 1) : score},${harsher ? 'borderline between two anchors' : ''}`);
  }
});
writeFileSync(new URL('labels-v2.csv', import.meta.url), `${rows.join('\n')}\n`);
console.log(`wrote ${rows.length - 1} labels`);
