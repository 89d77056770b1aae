package org.mailtls.testing;

/** Which way a TLS record travels between the two engines of an {@link SslEnginePair}. */
public enum Direction {
  /** Wrapped by the client engine, unwrapped by the server engine. */
  CLIENT_TO_SERVER,
  /** Wrapped by the server engine, unwrapped by the client engine. */
  SERVER_TO_CLIENT
}
