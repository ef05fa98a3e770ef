//! `sockscope report`: one self-contained HTML page (no network, no
//! external scripts, styles or fonts) with the run's summary, the flow
//! table (sortable by clicking a header: a few lines of inline script), and
//! for each TCP flow its ladder and time-sequence graph as inline SVG.
//! Flows past `MAX_DRAWN` are listed in the table but not drawn, so a
//! capture of thousands of connections still gives a page a browser opens.

use super::svg::escape;
use super::{GraphKind, GraphOptions, render_svg};
use crate::flow::{FlowReport, Proto};
use std::fmt::Write as _;

pub const MAX_DRAWN: usize = 50;

const STYLE: &str = "body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;color:#222;background:#fff;margin:2em;max-width:1100px}\
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}\
th{background:#f0f0f0;cursor:pointer;user-select:none}th[aria-sort]::after{content:' \\2195'}\
td.n{text-align:right;font-variant-numeric:tabular-nums}pre{background:#f7f7f7;padding:8px}\
figure{margin:1em 0}figure svg{max-width:100%;height:auto;border:1px solid #ddd}";

/// Click a header to sort by it (numbers by value), again to reverse.
const SCRIPT: &str = "document.querySelectorAll('table.flows th').forEach(function(th,i){\
th.addEventListener('click',function(){var tb=th.closest('table').tBodies[0];\
var asc=th.getAttribute('aria-sort')!=='ascending';\
th.closest('tr').querySelectorAll('th').forEach(function(h){h.setAttribute('aria-sort','none');});\
th.setAttribute('aria-sort',asc?'ascending':'descending');\
var rows=Array.prototype.slice.call(tb.rows);\
rows.sort(function(a,b){var x=a.cells[i].getAttribute('data-v'),y=b.cells[i].getAttribute('data-v');\
var nx=parseFloat(x),ny=parseFloat(y);var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return asc?c:-c;});\
rows.forEach(function(r){tb.appendChild(r);});});});";

/// Write the report page. `summary` are the run's summary lines (what
/// `read` prints on stderr), `source` the capture's name.
pub fn render(source: &str, summary: &[String], report: &FlowReport) -> String {
    let mut h = String::with_capacity(1 << 20);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>sockscope report: {s}</title>\
         <style>{STYLE}</style></head><body>\n<h1>sockscope report: {s}</h1>\n<h2>Summary</h2>\n<pre>",
        s = escape(source)
    );
    for line in summary {
        let _ = writeln!(h, "{}", escape(line));
    }
    let st = &report.stats;
    let _ = writeln!(
        h,
        "{}, {} in flows</pre>\n<h2>Flows</h2>\n<table class=\"flows\"><thead><tr>\
         <th>id</th><th>proto</th><th>client</th><th>server</th><th>packets</th><th>bytes c→s</th>\
         <th>bytes s→c</th><th>duration (ms)</th><th>state</th><th>history</th><th>retransmissions</th></tr></thead><tbody>",
        crate::output::fmt::count(st.flows, "flow"),
        crate::output::fmt::count(st.packets, "packet")
    );
    let drawn: Vec<u64> = report
        .flows
        .iter()
        .filter(|f| f.proto == Proto::Tcp)
        .take(MAX_DRAWN)
        .map(|f| f.uid)
        .collect();
    for f in &report.flows {
        let retrans = f.tcp().map_or(0, |t| t.counters.all_retransmissions());
        let proto = match f.proto {
            Proto::Tcp => "TCP".to_string(),
            Proto::Udp => "UDP".to_string(),
            Proto::Icmp => "ICMP".to_string(),
            Proto::Other(n) => format!("IP {n}"),
        };
        let cell = |v: String, n: bool| {
            format!(
                "<td{} data-v=\"{}\">{}</td>",
                if n { " class=\"n\"" } else { "" },
                escape(&v),
                escape(&v)
            )
        };
        // A link where the flow is drawn further down the page.
        let id = if drawn.contains(&f.uid) {
            format!(
                "<td data-v=\"{u}\"><a href=\"#C{u}\">C{u}</a></td>",
                u = f.uid
            )
        } else {
            format!("<td data-v=\"{u}\">C{u}</td>", u = f.uid)
        };
        let _ = writeln!(
            h,
            "<tr>{id}{}{}{}{}{}{}{}{}{}{}</tr>",
            cell(proto, false),
            cell(f.orig.to_string(), false),
            cell(f.resp.to_string(), false),
            cell((f.orig_pkts + f.resp_pkts).to_string(), true),
            cell(f.orig_bytes.to_string(), true),
            cell(f.resp_bytes.to_string(), true),
            cell(format!("{:.3}", f.duration_ns() as f64 / 1e6), true),
            cell(f.conn_state().to_string(), false),
            cell(f.history(), false),
            cell(retrans.to_string(), true),
        );
    }
    h.push_str("</tbody></table>\n");
    let tcp: Vec<_> = report
        .flows
        .iter()
        .filter(|f| f.proto == Proto::Tcp)
        .collect();
    for f in tcp.iter().take(MAX_DRAWN) {
        let _ = writeln!(
            h,
            "<section id=\"C{u}\"><h2>C{u} {} → {}</h2>",
            escape(&f.orig.to_string()),
            escape(&f.resp.to_string()),
            u = f.uid
        );
        for kind in [GraphKind::Ladder, GraphKind::Tsg] {
            if let Ok(svg) = render_svg(f, kind, &GraphOptions::default()) {
                let _ = writeln!(h, "<figure class=\"{}\">{svg}</figure>", kind.name());
            }
        }
        h.push_str("</section>\n");
    }
    if tcp.len() > MAX_DRAWN {
        let _ = writeln!(
            h,
            "<p>{} listed in the table, not drawn; <code>sockscope graph FILE --stream C&lt;n&gt;</code> draws any of them.</p>",
            crate::output::fmt::count((tcp.len() - MAX_DRAWN) as u64, "more TCP flow")
        );
    }
    let _ = write!(h, "<script>{SCRIPT}</script>\n</body></html>\n");
    h
}
