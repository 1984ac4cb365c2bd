//! Charts as server-rendered SVG: no script, no image requests, readable by screen readers (a
//! title and description, each bar its own titled value) and printed with the page.

use maud::{Markup, html};

/// A bar chart of `points` (label, value), values ≥ 0; `unit` is said in the description.
pub fn bars(title: &str, unit: &str, points: &[(String, f64)]) -> Markup {
    const WIDTH: f64 = 640.0;
    const HEIGHT: f64 = 200.0;
    const LEFT: f64 = 48.0;
    const BOTTOM: f64 = 24.0;
    let max = points.iter().map(|(_, value)| *value).fold(0.0_f64, f64::max);
    let top = if max > 0.0 { max } else { 1.0 };
    let slot = if points.is_empty() {
        0.0
    } else {
        (WIDTH - LEFT) / points.len() as f64
    };
    let plot_height = HEIGHT - BOTTOM - 8.0;
    let id = title
        .to_lowercase()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    let total: f64 = points.iter().map(|(_, value)| value).sum();
    // Every few bars get a label, so they never overlap at 30 or 48 bars.
    let label_every = (points.len() / 8).max(1);
    html! {
        figure.chart {
            svg viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img"
                aria-labelledby=(format!("{id}-title {id}-desc")) {
                title id=(format!("{id}-title")) { (title) }
                desc id=(format!("{id}-desc")) {
                    (format!("{} bars; highest {max:.2} {unit}; total {total:.2} {unit}.", points.len()))
                }
                line.axis x1=(LEFT) y1=(HEIGHT - BOTTOM) x2=(WIDTH) y2=(HEIGHT - BOTTOM) {}
                text x="2" y="12" { (format!("{top:.2}")) }
                text x="2" y=(HEIGHT - BOTTOM) { "0" }
                @for (index, (label, value)) in points.iter().enumerate() {
                    @let height = (value / top * plot_height).max(0.0);
                    @let x = LEFT + index as f64 * slot + slot * 0.1;
                    rect.bar x=(format!("{x:.1}")) y=(format!("{:.1}", HEIGHT - BOTTOM - height))
                        width=(format!("{:.1}", slot * 0.8)) height=(format!("{height:.1}")) {
                        title { (label) ": " (format!("{value:.2}")) " " (unit) }
                    }
                    @if index % label_every == 0 {
                        text x=(format!("{x:.1}")) y=(HEIGHT - 6.0) { (label) }
                    }
                }
            }
            figcaption { (title) }
        }
    }
}
