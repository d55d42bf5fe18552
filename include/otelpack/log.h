// Logging: otelpack writes its diagnostics through one replaceable handler.
//
// The default handler writes "otelpack <level>: <message>" lines to stderr for
// messages at or above the level set by SetLogLevel (default kInfo, or the
// environment variable OTELPACK_LOG_LEVEL: debug, info, warn, error, off).
// No message ever contains a credential: besides otelpack never writing one,
// every credential it was configured with (authentication, secret headers,
// receiver tokens) is masked as *** in each message before any handler sees
// it, so a backend's error body that echoes the key cannot leak it either.
#ifndef OTELPACK_LOG_H_
#define OTELPACK_LOG_H_

#include <functional>
#include <string_view>

namespace otelpack {

enum class LogLevel : unsigned char { kDebug, kInfo, kWarn, kError, kOff };

using LogHandler = std::function<void(LogLevel, std::string_view message)>;

// Replaces the handler (nullptr restores the default). Thread-safe.
void SetLogHandler(LogHandler handler);
void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();
bool LogEnabled(LogLevel level);
void Log(LogLevel level, std::string_view message);

std::string_view LogLevelName(LogLevel level);

}  // namespace otelpack

#endif  // OTELPACK_LOG_H_
