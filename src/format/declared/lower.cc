// Resolved templates -> plans (lower.h).
#include "format/declared/lower.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "common/str_cat.h"
#include "format/json_writer.h"
#include "otelpack/buffer.h"

namespace otelpack::format::declared {
namespace {

using enum FieldType;

bool Prepared(Level l) { return l == Level::kResource || l == Level::kScope || l == Level::kMetric; }

// The map whose picks an item block fills, by its list.
FieldId ItemMap(FieldId list) {
  return list == FieldId::kSpanLinks ? FieldId::kLinkAttributes : FieldId::kEventAttributes;
}

std::string Quoted(std::string_view s) {
  Buffer b;
  AppendJsonString(s, &b);
  return std::string(b.view());
}

// An event, a list's item or a prepared run, while it is being built.
struct ProtoBlock {
  enum class Role : std::uint8_t { kEvent, kItem, kRun };
  Role role = Role::kEvent;
  FieldId list = FieldId::kSpanEvents;  // kItem
  Level level = Level::kRecord;         // kRun
  std::vector<Op> ops;
  std::vector<Level> levels;  // of each op, the last a Step::kEnd
};

struct ProtoPicks {
  FieldId map;
  Level level;
  std::vector<std::pair<std::string, std::uint32_t>> keys;  // key -> slot
};

class Lowerer {
 public:
  Lowerer(Context context, MetricKind kind, std::string_view project_id, Plan* plan)
      : context_(context), kind_(kind), project_id_(project_id), plan_(plan) {}

  bool Run(const RNode& event, std::string* error) {
    blocks_.emplace_back();
    Node(event);
    End();
    const std::size_t built = blocks_.size();
    for (std::size_t b = 0; b < built; ++b) Group(b);
    Emit();
    if (plan_->text.size() > kMaxPlanText || plan_->ops.size() > kMaxPlanOps) {
      *error = StrCat("the event template is too large: over ", kMaxPlanText, " bytes of text or ", kMaxPlanOps,
                      " steps");
      return false;
    }
    plan_->text.append(kTextPadding, '\0');
    return true;
  }

 private:
  Piece Text(std::string_view s) {
    const Piece p{static_cast<std::uint32_t>(plan_->text.size()), static_cast<std::uint32_t>(s.size())};
    plan_->text.append(s);
    return p;
  }
  Piece Take() {
    const Piece p = Text(pending_);
    pending_.clear();
    return p;
  }

  bool Exists(const RNode& n) const { return ExistsFor(n, context_, kind_); }

  void Node(const RNode& n) {
    switch (n.kind) {
      case RNode::Kind::kLiteral: pending_ += n.json; return;
      case RNode::Kind::kValue: Value(n.value, nullptr); return;
      case RNode::Kind::kObject: Object(n); return;
      case RNode::Kind::kArray:
        pending_ += '[';
        for (const RNode& item : n.items) {
          if (!Exists(item)) continue;
          Node(item);
          pending_ += ',';
        }
        if (pending_.ends_with(',')) pending_.back() = ']';
        else pending_ += ']';  // no item: the text ends with its '['
        return;
      case RNode::Kind::kEach: Each(n, nullptr); return;
    }
  }

  void Object(const RNode& n) {
    pending_ += '{';
    for (const RMember& m : n.members) {
      if (m.flatten) {
        Flatten(*m.flatten);
        continue;
      }
      const RNode& v = m.value[0];
      if (!Exists(v)) continue;
      const std::string key = Quoted(m.key) + ":";
      if (v.kind == RNode::Kind::kValue && v.value.omit_if_empty) {
        Value(v.value, &key);
      } else if (v.kind == RNode::Kind::kEach && v.value.omit_if_empty) {
        Each(v, &key);
      } else {
        pending_ += key;
        Node(v);
        pending_ += ',';
      }
    }
    if (pending_.ends_with(',')) {
      pending_.back() = '}';
    } else if (pending_.ends_with('{')) {
      pending_ += '}';
    } else {
      // The last members write their own ',' when they are there at all.
      Op close;
      close.code = static_cast<std::uint8_t>(Step::kCloseObject);
      close.lead = Take();
      close.room = close.lead.size + 2 * kPieceSlack;
      Push(close, Level::kRecord);
    }
  }

  void Each(const RNode& n, const std::string* key) {
    const ValueSpec& list = n.value;
    Op op = Start(list, key);
    const std::size_t saved_block = current_;
    std::string saved_pending = std::move(pending_);
    pending_.clear();
    op.arg = static_cast<std::uint32_t>(blocks_.size());
    blocks_.emplace_back();
    blocks_.back().role = ProtoBlock::Role::kItem;
    blocks_.back().list = list.field->id;
    current_ = op.arg;
    Node(n.items[0]);
    pending_ += ',';
    End();
    current_ = saved_block;
    pending_ = std::move(saved_pending);
    Push(op, list.parent ? Level::kRecord : list.level());
  }

  void Flatten(const RFlatten& f) {
    FlattenSpec spec;
    Buffer prefix;
    {
      format::Cursor c(&prefix, format::kMaxEscapeGrowth * f.prefix.size() + 1);
      c.p = format::EscapeTo(f.prefix.data(), f.prefix.size(), c.p);
      c.Done();
    }
    spec.prefix = Text(prefix.view());
    for (std::size_t i = 0; i < f.include.size(); ++i) spec.include.Add(f.include[i], 0);
    for (std::size_t i = 0; i < f.exclude.size(); ++i) spec.exclude.Add(f.exclude[i], 0);
    spec.include.Build();
    spec.exclude.Build();
    spec.strings = f.from.form == Form::kStrings;
    Op op;
    op.code = static_cast<std::uint8_t>(f.from.field->id);
    op.form = Form::kFlatten;
    op.flags = kMember;
    op.lead = Take();
    op.arg = static_cast<std::uint32_t>(plan_->flattens.size());
    op.room = op.lead.size + kPieceSlack + spec.prefix.size;
    plan_->flattens.push_back(std::move(spec));
    Push(op, f.from.parent ? Level::kRecord : f.from.level());
  }

  // An op for `v` with its lead, its key when it may be left out (`key`),
  // and its absence and emptiness rules.
  Op Start(const ValueSpec& v, const std::string* key) {
    Op op;
    op.code = static_cast<std::uint8_t>(v.pick ? FieldId::kPick : v.field->id);
    op.form = v.form;
    op.time = v.time;
    op.time_write = TimeWriteOf(v.time);
    op.lead = Take();
    if (key != nullptr) {
      op.flags |= kMember;
      op.key = Text(*key);
    }
    if (v.null_if_empty) op.flags |= kNullIfEmpty;
    if (v.quote) op.flags |= kQuote;
    if (v.default_json) {
      op.flags |= kHasDefault;
      op.absent = Text(*v.default_json);
    }
    op.room = op.lead.size + op.key.size + op.absent.size + 3 * kPieceSlack + kValueRoom;
    return op;
  }

  void Value(const ValueSpec& v, const std::string* key) {
    if (v.level() == Level::kConstant) {
      Constant(v, key);
      return;
    }
    const FieldType t = v.type();
    const bool string_out = t == kTraceId || t == kSpanId || (t == kString && !v.is_case) ||
                            (t == kEnum && !v.number && !v.is_case) ||
                            ((t == kTime || t == kDuration) && v.time.style == format::TimeFormat::Style::kRfc3339);
    const bool raw = string_out && key == nullptr && !v.may_be_absent() && !v.null_if_empty;
    if (raw) pending_ += '"';
    Op op = Start(v, key);
    if (raw) op.flags |= kRaw;
    if (v.pick) op.arg = Slot(v.field->id, v.parent ? Level::kRecord : v.level(), *v.pick);
    if (t == kEnum || v.is_case) {
      op.form = t == kEnum ? Form::kTable : Form::kCase;
      op.arg = static_cast<std::uint32_t>(plan_->tables.size());
      plan_->tables.push_back(MakeTable(v, raw));
      op.room += plan_->tables.back().max_size;
    }
    Push(op, v.parent ? Level::kRecord : v.level());
    if (raw) pending_ += '"';
  }

  // The JSON of each enum value (names, numbers or cases), then the one
  // for values out of range; or a string case's keys and texts, then else's.
  Table MakeTable(const ValueSpec& v, bool raw) {
    Table table;
    const auto add = [&](std::string_view json) {
      table.texts.push_back(Text(json));
      table.max_size = std::max<std::uint32_t>(table.max_size, static_cast<std::uint32_t>(json.size()));
    };
    if (v.type() != kEnum) {
      for (const auto& [name, json] : v.cases) {
        table.keys.push_back(name);
        add(json);
      }
      add(v.case_else);
      return table;
    }
    const std::span<const std::string_view> names = v.field->enumeration->names;
    for (std::size_t i = 0; i <= names.size(); ++i) {
      const std::size_t value = i < names.size() ? i : 0;  // out of range: as the first
      add(EnumJson(v, value, raw, i < names.size()));
    }
    return table;
  }

  static std::string EnumJson(const ValueSpec& v, std::size_t value, bool raw, bool in_range) {
    const std::string_view name = v.field->enumeration->names[value];
    if (v.is_case) {
      if (!in_range) return v.case_else;
      for (const auto& [n, json] : v.cases) {
        if (n == name) return json;
      }
      return v.case_else;
    }
    if (v.number) {
      const std::string digits = StrCat(value);
      return v.quote ? "\"" + digits + "\"" : digits;
    }
    return raw ? std::string(name) : Quoted(name);
  }

  // $project_id and a metric's $kind, known when compiling.
  void Constant(const ValueSpec& v, const std::string* key) {
    std::string json;
    if (v.type() == kEnum) {
      json = EnumJson(v, static_cast<std::size_t>(kind_), false, true);
    } else if (v.is_case) {
      json = v.case_else;
      for (const auto& [name, text] : v.cases) {
        if (name == project_id_) json = text;
      }
    } else {
      json = Quoted(project_id_);
    }
    const bool empty = json == "\"\"";
    if (empty && key != nullptr) return;  // omit_if_empty
    if (empty && v.null_if_empty) json = "null";
    if (key != nullptr) pending_ += *key;
    pending_ += json;
    if (key != nullptr) pending_ += ',';
  }

  std::uint32_t Slot(FieldId map, Level level, const std::string& key) {
    auto set = std::find_if(picks_.begin(), picks_.end(), [&](const ProtoPicks& p) { return p.map == map; });
    if (set == picks_.end()) {
      picks_.push_back({map, level, {}});
      set = picks_.end() - 1;
    }
    for (const auto& [k, slot] : set->keys) {
      if (k == key) return slot;
    }
    set->keys.emplace_back(key, slots_);
    return slots_++;
  }

  // Ends the current block with the text left after its last value.
  void End() {
    Op end;
    end.code = static_cast<std::uint8_t>(Step::kEnd);
    end.lead = Take();
    end.room = end.lead.size + kPieceSlack;
    Push(end, Level::kRecord);
  }

  void Push(const Op& op, Level level) {
    blocks_[current_].ops.push_back(op);
    blocks_[current_].levels.push_back(level);
  }

  // Takes each run of prepared-level ops of block `b` out into a group of
  // run blocks, one per level, the last absorbing the text that follows.
  void Group(std::size_t b) {
    std::vector<Op> ops;
    std::vector<Level> levels;
    const std::size_t n = blocks_[b].ops.size();
    for (std::size_t i = 0; i < n;) {
      if (!Prepared(blocks_[b].levels[i])) {
        ops.push_back(blocks_[b].ops[i]);
        levels.push_back(blocks_[b].levels[i]);
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < n && Prepared(blocks_[b].levels[j])) ++j;
      PreparedGroup group;
      for (std::size_t k = i; k < j;) {
        std::size_t l = k;
        while (l < j && blocks_[b].levels[l] == blocks_[b].levels[k]) ++l;
        ProtoBlock run;
        run.role = ProtoBlock::Role::kRun;
        run.level = blocks_[b].levels[k];
        run.ops.assign(blocks_[b].ops.begin() + static_cast<std::ptrdiff_t>(k),
                       blocks_[b].ops.begin() + static_cast<std::ptrdiff_t>(l));
        run.levels.assign(l - k, run.level);
        Op end;
        end.code = static_cast<std::uint8_t>(Step::kEnd);
        if (l == j) {
          // The text after the group is the same for every record: the
          // run writes it. (A block ends with kEnd: there is an op after.)
          Op& after = blocks_[b].ops[j];
          end.lead = after.lead;
          after.room -= after.lead.size;
          after.lead = Piece{};
        }
        end.room = end.lead.size + kPieceSlack;
        run.ops.push_back(end);
        run.levels.push_back(Level::kRecord);
        group.runs.push_back({run.level, static_cast<std::uint32_t>(blocks_.size())});
        plan_->has_level[static_cast<int>(run.level)] = true;
        blocks_.push_back(std::move(run));
        k = l;
      }
      // The op after the group (there is one: kEnd is not prepared)
      // copies it as the start of its lead: no dispatch of its own.
      blocks_[b].ops[j].flags |= kPreparedLead;
      blocks_[b].ops[j].group = static_cast<std::uint32_t>(plan_->groups.size());
      plan_->groups.push_back(std::move(group));
      i = j;
    }
    blocks_[b].ops = std::move(ops);
    blocks_[b].levels = std::move(levels);
  }

  void Emit() {
    for (ProtoPicks& p : picks_) {
      PickSet set;
      set.map = p.map;
      for (const auto& [key, slot] : p.keys) {
        set.keys.Add(key, slot);
        set.slots.push_back(slot);
      }
      set.keys.Build();
      plan_->picks.push_back(std::move(set));
    }
    plan_->slots = slots_;
    for (const ProtoBlock& proto : blocks_) {
      Block b;
      b.begin = static_cast<std::uint32_t>(plan_->ops.size());
      plan_->ops.insert(plan_->ops.end(), proto.ops.begin(), proto.ops.end());
      for (std::size_t i = b.begin; i < plan_->ops.size(); ++i) {
        Op& op = plan_->ops[i];
        if (op.lead.size > kShortLead) {
          op.flags |= kLongLead;
        } else {
          plan_->text.copy(op.short_lead, op.lead.size, op.lead.offset);
        }
      }
      b.end = static_cast<std::uint32_t>(plan_->ops.size());
      ChainRuns(std::span<Op>(plan_->ops).subspan(b.begin, b.end - b.begin));
      for (std::size_t i = 0; i < picks_.size(); ++i) {
        const ProtoPicks& p = picks_[i];
        const bool mine = (proto.role == ProtoBlock::Role::kEvent && p.level == Level::kRecord) ||
                          (proto.role == ProtoBlock::Role::kItem && p.level == Level::kItem &&
                           p.map == ItemMap(proto.list)) ||
                          (proto.role == ProtoBlock::Role::kRun && p.level == proto.level);
        if (mine) b.picks = static_cast<std::int32_t>(i);
      }
      plan_->blocks.push_back(b);
    }
  }

  // Room for the bytes a copied piece's 16-byte blocks write past its end
  // (runner.h, Put), and for a value that is not a string: an id, a number,
  // a time, null.
  static constexpr std::uint32_t kPieceSlack = 32;
  // Leads up to this size are kept in the op and copied in two 16-byte
  // blocks (runner.h).
  static constexpr std::uint32_t kShortLead = sizeof(Op::short_lead);
  static constexpr std::uint32_t kValueRoom = 64;

  const Context context_;
  const MetricKind kind_;
  const std::string_view project_id_;
  Plan* const plan_;
  std::vector<ProtoBlock> blocks_;
  std::size_t current_ = 0;
  std::string pending_;
  std::vector<ProtoPicks> picks_;
  std::uint32_t slots_ = 0;
};

}  // namespace

bool ExistsFor(const RNode& node, Context context, MetricKind kind) {
  const bool metric = context == Context::kPoint || context == Context::kBucket || context == Context::kQuantile;
  if (!metric) return true;
  switch (node.kind) {
    case RNode::Kind::kLiteral: return true;
    case RNode::Kind::kValue:
    case RNode::Kind::kEach: return (node.value.field->kinds & KindBit(kind)) != 0;
    case RNode::Kind::kObject:
      return node.members.empty() || std::any_of(node.members.begin(), node.members.end(), [&](const RMember& m) {
               return m.flatten ? (m.flatten->from.field->kinds & KindBit(kind)) != 0
                                : ExistsFor(m.value[0], context, kind);
             });
    case RNode::Kind::kArray:
      return node.items.empty() || std::any_of(node.items.begin(), node.items.end(),
                                               [&](const RNode& i) { return ExistsFor(i, context, kind); });
  }
  return true;
}

bool Lower(const RNode& event, Context context, MetricKind kind, std::string_view project_id, Plan* plan,
           std::string* error) {
  *plan = Plan();
  return Lowerer(context, kind, project_id, plan).Run(event, error);
}

}  // namespace otelpack::format::declared
