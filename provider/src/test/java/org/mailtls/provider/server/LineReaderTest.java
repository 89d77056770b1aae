package org.mailtls.provider.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailtls.provider.server.ServerFixtures.send;

import java.io.EOFException;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailtls.provider.server.ServerFixtures.SocketPair;

/** {@link LineReader}: strict CRLF framing, limits, and a visible buffer (STL-03, STL-12). */
@Timeout(30)
class LineReaderTest {
  @Test
  void readLine_pipelinedLines_returnedInOrder_restVisibleAsBuffered() throws Exception {
    try (SocketPair pair = SocketPair.open()) {
      LineReader r = LineReader.over(pair.server());
      send(pair.client(), "a NOOP\r\nb CAPABILITY\r\nc LOG");
      assertEquals("a NOOP", r.readLine());
      assertEquals("b CAPABILITY\r\nc LOG".length(), r.bufferedBytes());
      assertEquals("b CAPABILITY", r.readLine());
      send(pair.client(), "OUT\r\n\r\n");
      assertEquals("c LOGOUT", r.readLine());
      assertEquals("", r.readLine());
      assertEquals(0, r.bufferedBytes());
      pair.client().shutdownOutput();
      assertNull(r.readLine(), "EOF between lines");
    }
  }

  /** Lenient framing is how smuggling works: bare CR, bare LF, NUL and non-ASCII bytes are refused. */
  @ParameterizedTest
  @ValueSource(strings = {"a NOOP\nb NOOP\r\n", "a NO\rOP\r\n", "a NO\u0000OP\r\n", "a NO\u00c3OP\r\n"})
  void readLine_malformed_protocolException_andStaysFailed(String input) throws Exception {
    try (SocketPair pair = SocketPair.open()) {
      LineReader r = LineReader.over(pair.server());
      OutputStream out = pair.client().getOutputStream();
      out.write(input.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      out.flush();
      assertThrows(ProtocolException.class, r::readLine);
      send(pair.client(), "c NOOP\r\n");
      assertThrows(ProtocolException.class, r::readLine, "a failed command stream stays failed");
    }
  }

  @Test
  void readLine_maxLength_exactFits_longerRefused() throws Exception {
    try (SocketPair pair = SocketPair.open()) {
      LineReader r = LineReader.over(pair.server(), 10);
      send(pair.client(), "0123456789\r\n01234567890\r\n");
      assertEquals("0123456789", r.readLine());
      ProtocolException e = assertThrows(ProtocolException.class, r::readLine);
      assertTrue(e.getMessage().contains("longer than 10"), e::getMessage);
    }
  }

  /** A line without end that exceeds the limit fails without waiting for the CRLF. */
  @Test
  void readLine_endlessLine_refusedBeforeCrlf() throws Exception {
    try (SocketPair pair = SocketPair.open()) {
      LineReader r = LineReader.over(pair.server(), 100);
      send(pair.client(), "x".repeat(5000));
      assertThrows(ProtocolException.class, r::readLine);
    }
  }

  @Test
  void readLine_eofInsideLine_eofException() throws Exception {
    try (SocketPair pair = SocketPair.open()) {
      LineReader r = LineReader.over(pair.server());
      send(pair.client(), "a NOO");
      pair.client().shutdownOutput();
      assertThrows(EOFException.class, r::readLine);
    }
  }

  /** A read timeout keeps the partial line; the next call completes it. */
  @Test
  void readLine_timeoutMidLine_partialLineKept() throws Exception {
    try (SocketPair pair = SocketPair.open()) {
      pair.server().setSoTimeout(200);
      LineReader r = LineReader.over(pair.server());
      send(pair.client(), "a NO");
      assertThrows(SocketTimeoutException.class, r::readLine);
      pair.server().setSoTimeout(ServerFixtures.TIMEOUT_MS);
      send(pair.client(), "OP\r\n");
      assertEquals("a NOOP", r.readLine());
    }
  }

  @Test
  void over_nonPositiveLimit_illegalArgument() throws Exception {
    try (SocketPair pair = SocketPair.open()) {
      assertThrows(IllegalArgumentException.class, () -> LineReader.over(pair.server(), 0));
      assertEquals(LineReader.DEFAULT_MAX_LINE_LENGTH, LineReader.over(pair.server()).maxLineLength());
    }
  }
}
