/** π-GCCP lab panel (issue 5). Placeholder until the π-GCCP pipelines land. */
export default function GccpLab() {
  return <div className="panel-empty">π-GCCP lab: not built yet.</div>;
}
