// The generator's vocabulary: service and operation words, error messages and
// stack traces that look like what Java, Python and Go services really emit
// (long, repetitive framework frames, quotes, tabs and newlines).
#include <charconv>

#include "loadgen/internal.h"

namespace otelpack::loadgen::internal {
namespace {

constexpr std::string_view kServices[] = {
    "frontend",         "api-gateway",         "checkout-service",  "cart-service",
    "payment-service",  "shipping-service",    "inventory-service", "catalog-service",
    "recommendation",   "user-service",        "auth-service",      "notification-service",
    "email-service",    "search-service",      "pricing-service",   "review-service",
    "order-service",    "fraud-detection",     "ad-service",        "currency-service",
};

constexpr std::string_view kNouns[] = {
    "orders",   "users",     "carts",       "products", "payments",        "invoices",  "shipments",
    "stock",    "reviews",   "sessions",    "accounts", "coupons",         "notifications",
    "search",   "prices",    "addresses",   "wishlists", "returns",        "subscriptions", "quotes",
};

constexpr std::string_view kTables[] = {
    "orders", "order_items", "users", "carts", "cart_items", "products", "payments", "invoices",
    "shipments", "stock_levels", "reviews", "sessions", "accounts", "coupons", "prices",
};

constexpr std::string_view kUserAgents[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/119.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    "okhttp/4.12.0",
    "python-requests/2.31.0",
    "Go-http-client/1.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
};

constexpr std::string_view kClasses[] = {
    "OrderService", "CartController", "PaymentGateway", "InventoryClient", "PricingEngine",
    "UserRepository", "SessionManager", "CheckoutFlow", "ShipmentPlanner", "FraudScorer",
    "CatalogIndexer", "NotificationDispatcher", "CouponValidator", "TaxCalculator",
};

constexpr std::string_view kMethods[] = {
    "placeOrder", "findById", "reserveStock", "authorize", "computeTotal", "refresh",
    "validate", "dispatch", "applyCoupon", "score", "loadProfile", "listItems", "capture",
    "quote", "reindex", "settle",
};

constexpr ExceptionText kJavaExceptions[] = {
    {"java.sql.SQLTimeoutException", "Query timed out after 5000 ms"},
    {"java.net.SocketTimeoutException", "Read timed out"},
    {"java.lang.NullPointerException",
     "Cannot invoke \"com.example.Order.getId()\" because \"order\" is null"},
    {"java.lang.IllegalStateException", "Inventory reservation failed for sku 184467"},
    {"org.springframework.dao.DataIntegrityViolationException",
     "could not execute statement; SQL [n/a]; constraint [orders_pkey]"},
};

constexpr ExceptionText kPythonExceptions[] = {
    {"ConnectionError",
     "HTTPConnectionPool(host='inventory', port=8080): Max retries exceeded with url: /v1/stock"},
    {"KeyError", "'user_id'"},
    {"ValueError", "invalid literal for int() with base 10: 'abc'"},
    {"TimeoutError", "timed out"},
    {"psycopg2.OperationalError", "could not connect to server: Connection refused"},
};

constexpr ExceptionText kGoExceptions[] = {
    {"*url.Error", "Get \"http://inventory:8080/v1/stock\": context deadline exceeded"},
    {"*errors.errorString", "sql: no rows in result set"},
    {"runtime.Error", "runtime error: invalid memory address or nil pointer dereference"},
    {"*net.OpError", "dial tcp 10.0.3.17:5432: connect: connection refused"},
};

constexpr std::string_view kJavaFramework[] = {
    "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883)",
    "org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:"
    "209)",
    "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:166)",
    "org.springframework.web.filter.OncePerRequestFilter.doFilter(OncePerRequestFilter.java:116)",
    "org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:167)",
    "org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:391)",
    "org.postgresql.jdbc.PgStatement.executeInternal(PgStatement.java:512)",
    "com.zaxxer.hikari.pool.ProxyPreparedStatement.executeQuery(ProxyPreparedStatement.java:52)",
    "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)",
    "java.base/java.lang.Thread.run(Thread.java:833)",
};

constexpr std::string_view kPythonCode[] = {
    "order = repo.find(order_id)",
    "resp = self.session.get(url, timeout=self.timeout)",
    "return self.handle(request, *args, **kwargs)",
    "raise ConnectionError(e, request=request)",
    "cursor.execute(query, params)",
    "user_id = payload[\"user_id\"]",
    "total = sum(item.price * item.qty for item in cart.items)",
};

constexpr std::string_view kPythonFiles[] = {
    "/usr/local/lib/python3.11/site-packages/django/core/handlers/exception.py",
    "/usr/local/lib/python3.11/site-packages/requests/adapters.py",
    "/usr/local/lib/python3.11/site-packages/requests/sessions.py",
    "/usr/local/lib/python3.11/site-packages/psycopg2/extras.py",
};

void AppendInt(std::uint64_t v, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, r.ptr);
}

void AppendHex(std::uint64_t v, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v, 16);
  out->append(buf, r.ptr);
}

// The service name as a package / module word: "checkout-service" -> "checkout".
std::string_view PackageWord(std::string_view service) {
  std::size_t dash = service.find('-');
  return dash == std::string_view::npos ? service : service.substr(0, dash);
}

void AppendJavaFrame(std::string_view service, Rng& rng, std::string* line) {
  if (rng.Chance(0.45)) {
    line->append("\tat com.example.");
    line->append(PackageWord(service));
    line->push_back('.');
    std::string_view cls = rng.Pick(std::span(kClasses));
    line->append(cls);
    line->push_back('.');
    line->append(rng.Pick(std::span(kMethods)));
    line->push_back('(');
    line->append(cls);
    line->append(".java:");
    AppendInt(rng.Below(900) + 12, line);
    line->append(")\n");
  } else {
    line->append("\tat ");
    line->append(rng.Pick(std::span(kJavaFramework)));
    line->push_back('\n');
  }
}

void AppendPythonFrame(std::string_view service, Rng& rng, std::string* line) {
  line->append("  File \"");
  if (rng.Chance(0.5)) {
    line->append("/app/");
    line->append(PackageWord(service));
    line->append("/views.py");
  } else {
    line->append(rng.Pick(std::span(kPythonFiles)));
  }
  line->append("\", line ");
  AppendInt(rng.Below(700) + 5, line);
  line->append(", in ");
  line->append(rng.Pick(std::span(kMethods)));
  line->append("\n    ");
  line->append(rng.Pick(std::span(kPythonCode)));
  line->push_back('\n');
}

void AppendGoFrame(std::string_view service, Rng& rng, std::string* line) {
  line->append("github.com/example/");
  line->append(PackageWord(service));
  line->append("/internal.(*");
  line->append(rng.Pick(std::span(kClasses)));
  line->append(").");
  line->append(rng.Pick(std::span(kMethods)));
  line->append("(0xc000");
  AppendHex(rng.Below(0xfffff), line);
  line->append(", {0x");
  AppendHex(rng.Below(0xffffff), line);
  line->append(", 0xc0000");
  AppendHex(rng.Below(0xfffff), line);
  line->append("})\n\t/app/internal/");
  line->append(PackageWord(service));
  line->append("/service.go:");
  AppendInt(rng.Below(400) + 10, line);
  line->append(" +0x");
  AppendHex(rng.Below(0x400) + 0x20, line);
  line->push_back('\n');
}

}  // namespace

std::span<const std::string_view> ServiceNames() { return kServices; }
std::span<const std::string_view> ResourceNouns() { return kNouns; }
std::span<const std::string_view> DbTables() { return kTables; }
std::span<const std::string_view> UserAgents() { return kUserAgents; }
std::span<const std::string_view> ClassNames() { return kClasses; }
std::span<const std::string_view> MethodNames() { return kMethods; }

ExceptionText PickException(Language lang, Rng& rng) {
  switch (lang) {
    case Language::kJava: return rng.Pick(std::span(kJavaExceptions));
    case Language::kPython: return rng.Pick(std::span(kPythonExceptions));
    case Language::kGo: break;
  }
  return rng.Pick(std::span(kGoExceptions));
}

void MakeStackTrace(Language lang, const ExceptionText& exc, std::string_view service, Rng& rng,
                    std::string* out) {
  // Frames are added while they fit under a target drawn from [1240, 2200];
  // no frame (Python's are two lines) is longer than 190 bytes, so the result
  // lands in [1050, 2200].
  const std::size_t target = 1240 + rng.Below(2200 - 1240 + 1);
  std::string header;
  std::string footer;
  switch (lang) {
    case Language::kJava:
      header.append(exc.type).append(": ").append(exc.message).append("\n");
      break;
    case Language::kPython:
      header = "Traceback (most recent call last):\n";
      footer.append(exc.type).append(": ").append(exc.message).append("\n");
      break;
    case Language::kGo:
      header.append("panic: ").append(exc.message).append("\n\ngoroutine ");
      AppendInt(rng.Below(5000) + 1, &header);
      header.append(" [running]:\n");
      break;
  }
  out->assign(header);
  std::string frame;
  for (;;) {
    frame.clear();
    switch (lang) {
      case Language::kJava: AppendJavaFrame(service, rng, &frame); break;
      case Language::kPython: AppendPythonFrame(service, rng, &frame); break;
      case Language::kGo: AppendGoFrame(service, rng, &frame); break;
    }
    if (out->size() + frame.size() + footer.size() > target) break;
    out->append(frame);
  }
  out->append(footer);
}

}  // namespace otelpack::loadgen::internal
