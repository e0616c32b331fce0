import { describeScale, scalePoints, type Criterion, type Rubric } from './rubric.js';

/**
 * Renders one criterion for a judge: the question, the scale with an anchor for every point, few-shot
 * examples, and what to judge (the whole conversation or one assistant turn).
 */
export function renderCriterion(rubric: Pick<Rubric, 'title'>, criterion: Criterion, turn?: number): string {
  const lines = [
    `Rubric: ${rubric.title}`,
    `Criterion \`${criterion.id}\`: ${criterion.question.trim()}`,
    '',
    `Score: ${describeScale(criterion.scale)}. What each score means:`,
    ...scalePoints(criterion.scale).map((point) => `- ${JSON.stringify(point)}: ${criterion.anchors[String(point)]?.trim() ?? ''}`),
  ];
  if (criterion.examples.length) {
    lines.push('', 'Worked examples (from the rubric author, not from the conversation under review):');
    criterion.examples.forEach((example, index) => {
      lines.push(`Example ${index + 1}:`, example.transcript.trim(), `Reasoning: ${example.reasoning.trim()}`, `Score: ${JSON.stringify(example.score)}`);
    });
  }
  lines.push(
    '',
    turn === undefined
      ? 'Judge the whole conversation above on this criterion.'
      : `Judge only the assistant message at turn [${turn}]; the turns before it are context.`,
  );
  return lines.join('\n');
}
