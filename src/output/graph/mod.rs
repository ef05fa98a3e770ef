//! Pictures of TCP flows (`sockscope graph`, `sockscope report`): the
//! ladder diagram, tcptrace's time-sequence graph, goodput, RTT and window
//! graphs, drawn as self-contained SVG from what the flow tracker recorded
//! (events with both sides' states and analysis marks, and their TCP
//! options). `svg` writes the elements, `axes` the shared scales, ticks and
//! legend, `series` turns a flow's events into relative numbers, one file
//! per kind draws it; `mermaid` and `xpl` are the ladder and the tsg in
//! other tools' formats, `html` the report page, `png` the rasteriser;
//! `whole` draws throughput and RTT over every flow of a capture.

pub mod axes;
pub mod html;
pub mod ladder;
pub mod mermaid;
#[cfg(feature = "png")]
pub mod png;
pub mod rtt;
pub mod series;
pub mod svg;
pub mod throughput;
pub mod tsg;
pub mod whole;
pub mod window;
pub mod xpl;

use crate::flow::{Flow, FlowReport, Proto};
pub use series::Series;
pub use tsg::TsgStyle;

/// What to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphKind {
    Ladder,
    Tsg,
    Throughput,
    Rtt,
    Window,
}

impl GraphKind {
    pub const ALL: [GraphKind; 5] = [
        GraphKind::Ladder,
        GraphKind::Tsg,
        GraphKind::Throughput,
        GraphKind::Rtt,
        GraphKind::Window,
    ];
    pub fn name(self) -> &'static str {
        match self {
            GraphKind::Ladder => "ladder",
            GraphKind::Tsg => "tsg",
            GraphKind::Throughput => "throughput",
            GraphKind::Rtt => "rtt",
            GraphKind::Window => "window",
        }
    }
}

/// Which direction a one-direction graph (tsg, window) follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// The side that sent more payload.
    Auto,
    ClientToServer,
    ServerToClient,
}

/// How to draw.
#[derive(Clone, Copy, Debug)]
pub struct GraphOptions {
    pub style: TsgStyle,
    pub direction: Direction,
}

impl Default for GraphOptions {
    fn default() -> Self {
        GraphOptions {
            style: TsgStyle::Tcptrace,
            direction: Direction::Auto,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    #[error(
        "no flow {0} in this capture (flow ids are C1, C2, … as in the flow table, or a TCP stream index 0, 1, …)"
    )]
    NoSuchFlow(String),
    #[error("flow {0} is not TCP: graphs draw TCP flows only")]
    NotTcp(String),
    #[error("the capture has no TCP flow to draw")]
    NoTcpFlow,
    #[error("{0} graphs come as svg or png only (mermaid is for the ladder, xpl for tsg)")]
    Format(&'static str),
    #[error(
        "{0} graphs follow one flow: `--stream all` takes --kind throughput or rtt (give a flow id for ladder, tsg and window)"
    )]
    WholeCapture(&'static str),
    #[error("rendering the SVG to PNG failed: {0}")]
    Png(String),
}

/// The flow `id` names: `C3` (the flow table's uid) or a bare number, the
/// TCP stream index counted from 0 as Wireshark's `tcp.stream`. Without an
/// id, the first TCP flow.
pub fn find_flow<'a>(report: &'a FlowReport, id: Option<&str>) -> Result<&'a Flow, GraphError> {
    let Some(id) = id else {
        return report
            .flows
            .iter()
            .find(|f| f.proto == Proto::Tcp)
            .ok_or(GraphError::NoTcpFlow);
    };
    let want = id.trim();
    let flow = if let Some(uid) = want
        .strip_prefix(['C', 'c'])
        .and_then(|n| n.parse::<u64>().ok())
    {
        report.flows.iter().find(|f| f.uid == uid)
    } else if let Ok(index) = want.parse::<usize>() {
        report
            .flows
            .iter()
            .filter(|f| f.proto == Proto::Tcp)
            .nth(index)
    } else {
        None
    };
    let flow = flow.ok_or_else(|| GraphError::NoSuchFlow(want.to_string()))?;
    if flow.proto != Proto::Tcp {
        return Err(GraphError::NotTcp(want.to_string()));
    }
    Ok(flow)
}

fn from_orig(s: &Series<'_>, d: Direction) -> bool {
    match d {
        Direction::Auto => s.data_from_orig(),
        Direction::ClientToServer => true,
        Direction::ServerToClient => false,
    }
}

/// Draw `kind` for a TCP flow as an SVG document.
pub fn render_svg(flow: &Flow, kind: GraphKind, opts: &GraphOptions) -> Result<String, GraphError> {
    let s = Series::of(flow).ok_or_else(|| GraphError::NotTcp(format!("C{}", flow.uid)))?;
    Ok(match kind {
        GraphKind::Ladder => ladder::render(&s),
        GraphKind::Tsg => tsg::render(&s, from_orig(&s, opts.direction), opts.style),
        GraphKind::Throughput => throughput::render(&s),
        GraphKind::Rtt => rtt::render(&s),
        GraphKind::Window => window::render(&s, from_orig(&s, opts.direction)),
    })
}

/// Whether `kind` can be drawn over a whole capture (`--stream all`).
pub fn takes_whole_capture(kind: GraphKind) -> bool {
    matches!(kind, GraphKind::Throughput | GraphKind::Rtt)
}

/// Draw `kind` over every TCP flow of the capture (throughput and RTT
/// only: the other kinds follow one flow's sequence space).
pub fn render_whole_svg(report: &FlowReport, kind: GraphKind) -> Result<String, GraphError> {
    match kind {
        GraphKind::Throughput => Ok(whole::throughput(report)),
        GraphKind::Rtt => Ok(whole::rtt(report)),
        k => Err(GraphError::WholeCapture(k.name())),
    }
}

/// The ladder as a Mermaid sequence diagram.
pub fn render_mermaid(flow: &Flow) -> Result<String, GraphError> {
    let s = Series::of(flow).ok_or_else(|| GraphError::NotTcp(format!("C{}", flow.uid)))?;
    Ok(mermaid::render(&s))
}

/// The time-sequence graph as an xplot file.
pub fn render_xpl(flow: &Flow, opts: &GraphOptions) -> Result<String, GraphError> {
    let s = Series::of(flow).ok_or_else(|| GraphError::NotTcp(format!("C{}", flow.uid)))?;
    Ok(xpl::render(&s, from_orig(&s, opts.direction)))
}
