//! The WebSocket client-frame parser (`send`, `resume`, `ping`, `typing`, `read`): whatever
//! text a browser sends, `parse_frame` answers a frame or an error, and never panics.
#![no_main]

use frontline_http::ws::{ClientFrame, parse_frame};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // A WebSocket text frame is UTF-8 by the time it reaches the parser; bytes that are not
    // are fed with replacement characters, so every input exercises the parser.
    let text = String::from_utf8_lossy(data);
    match parse_frame(&text) {
        Ok(frame) => {
            // A parsed frame is one of the five kinds.
            let _ = std::hint::black_box(match frame {
                ClientFrame::Send { client_id, body, .. } => client_id.len() + body.len(),
                ClientFrame::Resume { .. } | ClientFrame::Typing { .. } | ClientFrame::Read { .. } => 1,
                ClientFrame::Ping => 0,
            });
        }
        Err((client_id, error)) => {
            // The echoed client id is cut to 64 characters whatever the client sent.
            if let Some(id) = &client_id {
                assert!(id.chars().count() <= 64, "client_id echoed uncut: {} chars", id.chars().count());
            }
            let _ = std::hint::black_box(format!("{error:?}"));
        }
    }
});
