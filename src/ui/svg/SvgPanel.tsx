/** SVG-tensor panel (issue 4). Placeholder until the SVG-tensor core lands. */
export default function SvgPanel() {
  return <div className="panel-empty">SVG-tensors: not built yet.</div>;
}
