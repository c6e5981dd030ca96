//! `wasm_agent::bench` end to end at a tiny budget: every row is filled,
//! and every workload prints on wasm-agent exactly what native bash and
//! GNU tools print over the same fixture.

use wasm_agent::bench::peers::{native::NativeBash, wasm_agent::WasmAgent};
use wasm_agent::bench::{self, Fixture, Options, Peer, Value};

#[tokio::test(flavor = "current_thread")]
async fn every_row_is_measured_and_workloads_print_what_bash_prints() {
    let fixture = Fixture::generate();
    let mut peers: Vec<Box<dyn Peer>> = vec![Box::new(
        WasmAgent::new(&fixture, None)
            .await
            .expect("tools module (scripts/build-guest-tools.sh)"),
    )];
    let native = NativeBash::new(&fixture).expect("fixture written to a temp dir");
    let has_native = native.is_some();
    if let Some(native) = native {
        peers.push(Box::new(native));
    }
    let options = Options {
        scale: 0.005,
        populate: vec![100],
        idle_instances: 100,
    };
    let mut steps = Vec::new();
    let report = bench::run(&mut peers, &options, &mut |s| steps.push(s.to_string()))
        .await
        .expect("benchmark runs");
    assert!(
        report.notes.is_empty(),
        "outputs differ:\n{}",
        report.notes.join("\n")
    );
    assert!(steps.len() > 10, "{steps:?}");
    for row in &report.rows {
        assert_eq!(row.cells.len(), peers.len(), "{}", row.metric);
        let ours = row.cells[0];
        if row.metric.starts_with("fresh process") {
            // No CLI was given to the wasm-agent peer.
            assert!(ours.is_none());
            continue;
        }
        let ours = ours.unwrap_or_else(|| panic!("{}: no wasm-agent figure", row.metric));
        assert!(ours.matches, "{}", row.metric);
        match ours.value {
            Value::Time(t) => assert!(!t.is_zero(), "{}", row.metric),
            // At this tiny scale (100 sandboxes, ~3 KiB each) the RSS
            // growth may be zero: the allocator can serve them from pages
            // it already holds. A measurement is all this test asks for.
            Value::Bytes(b) => assert!(b.is_finite() && b >= 0.0, "{}", row.metric),
        }
    }
    let workloads = report
        .rows
        .iter()
        .filter(|r| r.metric.starts_with('`'))
        .count();
    assert_eq!(workloads, bench::WORKLOADS.len());
    let table = report.to_markdown();
    assert!(table.contains("7 workloads, sum of medians"), "{table}");
    if has_native {
        assert!(table.contains("vs native bash"), "{table}");
    }
}
