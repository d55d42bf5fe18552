// What ClickHouse must hold for each record the test sends through the example's format
// (examples/formats/clickhouse), computed from the model on its own -- from the meaning of
// each field (docs/formats.md) and of each value (docs/wire-protocol.md, "Values"), never
// from otelpack's encoders -- and the comparison of the rows read back (SELECT * ... FORMAT
// JSONEachRow) with it, column by column, value by value inside the JSON-in-a-String columns.
#ifndef OTELPACK_TESTS_CLICKHOUSE_EXPECTED_ROWS_H_
#define OTELPACK_TESTS_CLICKHOUSE_EXPECTED_ROWS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "otelpack/model.h"

namespace otelpack::testing {

// A JSON value a column (or an element of one) must hold.
struct Expected {
  enum class Type : std::uint8_t { kNull, kBool, kInt, kUint, kDouble, kString, kArray, kObject };
  Type type = Type::kNull;
  // The column is a String that holds this value as JSON text (attribute maps, map bodies).
  bool json_text = false;
  // A Float64 column: ClickHouse 18.16 reads decimal text into a double to within one unit in
  // the last place (its parser is not correctly rounded; `SELECT toFloat64('2.518797114465545')`
  // gives 2.5187971144655448), so a neighbouring double is accepted too.
  bool within_one_ulp = false;
  bool bool_value = false;
  std::int64_t int_value = 0;
  std::uint64_t uint_value = 0;
  double double_value = 0;
  std::string string_value;
  std::vector<Expected> items;
  std::vector<std::pair<std::string, Expected>> members;

  static Expected Null() { return {}; }
  static Expected Bool(bool b);
  static Expected Int(std::int64_t i);
  static Expected Uint(std::uint64_t u);
  // NaN and +-Inf are null, as a JSON writer must write them.
  static Expected Double(double d);
  // Double, in a Float64 column (within_one_ulp).
  static Expected Float64(double d);
  static Expected String(std::string_view s);
  static Expected Array(std::vector<Expected> items);
  // An OTLP value as docs/wire-protocol.md writes it (bytes in base64, non-finite doubles null).
  static Expected Value(const AnyValue& v);
  // An attribute map as a JSON object, its entries in order.
  static Expected Map(Attributes attributes);
  Expected AsJsonText() &&;
};

// Column name -> value, in the table's column order.
using ExpectedRow = std::vector<std::pair<std::string, Expected>>;

// One row per span, log record or data point, in the order of the data.
std::vector<ExpectedRow> SpanRows(TracesView traces);
std::vector<ExpectedRow> LogRows(LogsView logs);
std::vector<ExpectedRow> PointRows(MetricsView metrics);

// Compares a table's rows (ClickHouse's JSONEachRow answer) with the expected ones: each
// expected row must match a row of its own, found by the `key` columns (string or integer
// columns) and equal in every column; every row read must be matched once. An empty result
// means they are the same rows; otherwise one line per problem (a missing row, a column that
// differs with its path and both values, a row too many).
std::vector<std::string> CompareTable(std::string_view json_each_row, const std::vector<ExpectedRow>& expected,
                                      const std::vector<std::string>& key);

}  // namespace otelpack::testing

#endif  // OTELPACK_TESTS_CLICKHOUSE_EXPECTED_ROWS_H_
