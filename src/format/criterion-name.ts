/**
 * How a user names a criterion on the command line, in a labels file or in jury.yaml: `rubric/criterion`, or
 * the bare criterion id (which names that criterion in every rubric that has it).
 */
export function namesCriterion(name: string, rubric: string, criterion: string): boolean {
  return name === criterion || name === `${rubric}/${criterion}`;
}
