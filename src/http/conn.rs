//! The connection under the HTTP parser. The parser answers some requests itself before the
//! application sees them: a request head past its buffer (431) and a head it cannot parse
//! (400, e.g. a URI over 64 KiB or a control character in a header), both with an empty body.
//! [`Guarded`] rewrites exactly those bare answers into problem+json documents, so every
//! answer of the service has the same shape. The application's own limit on the head
//! ([`HEAD_LIMIT`], checked by [`limit_head`]) sits below the parser's, so a head too large is
//! a 431 problem whether the connection is fresh or kept alive.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::http::error::{ApiError, Problem, PROBLEM_JSON};

/// Largest request head (request line and headers) the application takes, in bytes. Below the
/// parser's own buffer (128 KiB), so the application, not the parser, answers anything between.
pub const HEAD_LIMIT: usize = 64 * 1024;

/// A TCP stream whose parser-made bare error answers leave as problem documents.
pub struct Guarded<T> {
    io: T,
    /// Bytes written in place of a bare answer, not yet passed to the socket.
    pending: Vec<u8>,
    sent: usize,
}

impl<T> Guarded<T> {
    pub fn new(io: T) -> Self {
        Guarded {
            io,
            pending: Vec::new(),
            sent: 0,
        }
    }
}

/// The problem document standing in for a bare answer the parser wrote at the start of `buf`,
/// and how many bytes of `buf` that answer's head spans.
fn replacement(buf: &[u8]) -> Option<(Vec<u8>, usize)> {
    let (status, title, detail) = if buf.starts_with(b"HTTP/1.1 431 ") {
        (
            431,
            "Request Header Fields Too Large",
            format!("The request head (URL and headers) is larger than {HEAD_LIMIT} bytes."),
        )
    } else if buf.starts_with(b"HTTP/1.1 400 ") {
        (
            400,
            "Bad Request",
            "The request line or a header could not be read (a URL over 64 KiB, a control \
             character in a header, or malformed HTTP)."
                .to_string(),
        )
    } else {
        return None;
    };
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
    // The parser's own answers have no body and no type; the application's always have both.
    if !head.contains("\r\ncontent-length: 0\r\n") || head.contains("\r\ncontent-type:") {
        return None;
    }
    let slug = title.to_lowercase().replace(' ', "-");
    let problem = Problem {
        kind: format!("/problems/{slug}"),
        title: title.to_string(),
        status,
        detail,
        errors: Vec::new(),
    };
    let body = serde_json::to_string(&problem).ok()?;
    let answer = format!(
        "HTTP/1.1 {status} {title}\r\ncontent-type: {PROBLEM_JSON}\r\ncontent-length: {}\r\n\
         x-content-type-options: nosniff\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    Some((answer.into_bytes(), end))
}

impl<T: AsyncWrite + Unpin> Guarded<T> {
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.sent < self.pending.len() {
            let n = match Pin::new(&mut self.io).poll_write(cx, &self.pending[self.sent..]) {
                Poll::Ready(Ok(n)) => n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            };
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.sent += n;
        }
        self.pending.clear();
        self.sent = 0;
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Guarded<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Guarded<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        match this.poll_pending(cx) {
            Poll::Ready(Ok(())) => {}
            Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
            Poll::Pending => return Poll::Pending,
        }
        if let Some((answer, head)) = replacement(buf) {
            // The bare answer's head is taken as written; the document goes out instead.
            this.pending = answer;
            this.sent = 0;
            let _ = this.poll_pending(cx);
            return Poll::Ready(Ok(head));
        }
        Pin::new(&mut this.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        match this.poll_pending(cx) {
            Poll::Ready(Ok(())) => Pin::new(&mut this.io).poll_flush(cx),
            other => other,
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        match this.poll_pending(cx) {
            Poll::Ready(Ok(())) => Pin::new(&mut this.io).poll_shutdown(cx),
            other => other,
        }
    }
}

/// Refuses a request whose head is over [`HEAD_LIMIT`] with a 431 problem (on a kept-alive
/// connection the parser may take a head larger than on a fresh one; this makes both alike).
pub async fn limit_head(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    use actix_web::ResponseError as _;
    let size = req.method().as_str().len()
        + req.uri().to_string().len()
        + req
            .headers()
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len() + 4)
            .sum::<usize>();
    if size > HEAD_LIMIT {
        let e = ApiError::HeaderTooLarge(format!(
            "The request head (URL and headers) is {size} bytes; the limit is {HEAD_LIMIT} bytes."
        ));
        return Ok(req.into_response(e.error_response()).map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_parsers_bare_answers_are_rewritten() {
        let bare = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\nconnection: close\r\ndate: x\r\n\r\n";
        let (answer, head) = replacement(bare).unwrap();
        assert_eq!(head, bare.len());
        let text = String::from_utf8(answer).unwrap();
        assert!(text.starts_with("HTTP/1.1 431 "), "{text}");
        assert!(text.contains("application/problem+json"), "{text}");
        let own = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 20\r\ncontent-type: application/problem+json\r\n\r\n";
        assert!(replacement(own).is_none());
        assert!(replacement(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_none());
    }
}
