//! SIGINT and SIGTERM as a module's shutdown (`docker stop`, `iotedge restart`, edge-sim's
//! agent), for a `main` that waits on a channel.

use std::sync::mpsc;

/// Starts a thread that sends on `stop` at the first SIGINT or SIGTERM.
pub fn watch(stop: mpsc::Sender<()>) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    std::thread::Builder::new()
        .name("signals".to_owned())
        .spawn(move || {
            runtime.block_on(async {
                let Ok(mut term) =
                    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                else {
                    return;
                };
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
                let _ = stop.send(());
            });
        })?;
    Ok(())
}
