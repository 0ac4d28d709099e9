// qdx-exchange: a FIX 4.4 test exchange for QuoteDesk's integration tests,
// built on QuickFIX C++ 1.15.
//
// Default mode is the exchange: a QuickFIX acceptor (SenderCompID QDX) with
// one price-time priority limit order book per symbol, driven from stdin.
// With --initiate it is instead a one-shot counterparty that logs on, sends a
// single limit order and reports what became of it. usage() lists the flags.

#include <quickfix/Application.h>
#include <quickfix/DataDictionaryProvider.h>
#include <quickfix/Exceptions.h>
#include <quickfix/FileLog.h>
#include <quickfix/FileStore.h>
#include <quickfix/Group.h>
#include <quickfix/Message.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketAcceptor.h>
#include <quickfix/SocketInitiator.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <csignal>
#include <iostream>
#include <iterator>
#include <list>
#include <map>
#include <set>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace F = FIX::FIELD;

// ---------------------------------------------------------------- output

std::mutex g_stdoutMutex;

// Tests read stdout live and several threads write it, so each line goes out
// whole and is flushed at once.
void emit(const std::string& line) {
  std::lock_guard<std::mutex> lock(g_stdoutMutex);
  std::cout << line << '\n' << std::flush;
}

// Hides Password (554) and NewPassword (925) values so no log shows them.
std::string maskPasswords(const std::string& raw) {
  std::string out;
  std::string::size_type start = 0;
  while (start < raw.size()) {
    std::string::size_type end = raw.find('\001', start);
    if (end == std::string::npos) end = raw.size();
    std::string field = raw.substr(start, end - start);
    if (field.compare(0, 4, "554=") == 0 || field.compare(0, 4, "925=") == 0)
      field = field.substr(0, 4) + "***";
    out += field;
    if (end < raw.size()) out += '\001';
    start = end + 1;
  }
  return out;
}

std::string pipes(std::string raw) {
  std::replace(raw.begin(), raw.end(), '\001', '|');
  return raw;
}

// ---------------------------------------------------------------- decimals

// Prices and quantities are exact decimals held as integer multiples of 1e-8,
// so matching never compares doubles.
typedef long long Fixed;
const Fixed kScale = 100000000;
const int kDecimals = 8;

bool parseFixed(const std::string& text, Fixed& out) {
  const Fixed maxUnits = LLONG_MAX / kScale;
  Fixed units = 0, fraction = 0;
  int fractionDigits = 0;
  bool sawDigit = false, sawPoint = false;
  for (char c : text) {
    if (c == '.' && !sawPoint) {
      sawPoint = true;
      continue;
    }
    if (c < '0' || c > '9') return false;
    sawDigit = true;
    const int digit = c - '0';
    if (!sawPoint) {
      units = units * 10 + digit;
      if (units >= maxUnits) return false;
    } else if (fractionDigits < kDecimals) {
      fraction = fraction * 10 + digit;
      ++fractionDigits;
    } else if (digit != 0) {
      return false;  // finer than 1e-8 cannot be held exactly
    }
  }
  if (!sawDigit) return false;
  for (; fractionDigits < kDecimals; ++fractionDigits) fraction *= 10;
  out = units * kScale + fraction;
  return true;
}

std::string formatFixed(Fixed value) {
  std::string text = std::to_string(value / kScale);
  const Fixed fraction = value % kScale;
  if (fraction != 0) {
    std::string digits = std::to_string(fraction + kScale).substr(1);  // zero-padded
    digits.erase(digits.find_last_not_of('0') + 1);
    text += "." + digits;
  }
  return text;
}

// ---------------------------------------------------------------- orders and books

const char kBuy = '1';
const char kSell = '2';

char opposite(char side) { return side == kBuy ? kSell : kBuy; }

// True if a resting price on the other side trades with this limit.
bool crosses(char side, Fixed limit, Fixed resting) {
  return side == kBuy ? resting <= limit : resting >= limit;
}

struct Order {
  Order() : side(kBuy), price(0), qty(0), cum(0), notional(0), status('0') {}

  std::string orderId;  // "NONE" for an order rejected on arrival
  std::string owner;    // counterparty CompID; empty for house liquidity
  FIX::SessionID session;
  std::string clOrdId;  // the latest ClOrdID (a cancel or replace takes it over)
  std::string symbol;
  char side;
  Fixed price, qty, cum;
  __int128 notional;  // sum of fill price * qty, for AvgPx
  char status;        // OrdStatus as last reported

  bool live() const { return status == '0' || status == '1'; }
  Fixed leaves() const { return live() ? qty - cum : 0; }
};

std::string avgPx(const Order& o) {
  if (o.cum == 0) return "0";
  return formatFixed(static_cast<Fixed>((o.notional + o.cum / 2) / o.cum));
}

// Orders one side's prices best first: descending for bids, ascending for asks.
// No default constructor, so a ladder can never silently get the wrong order.
struct BestFirst {
  explicit BestFirst(bool bids) : bids(bids) {}
  bool operator()(Fixed a, Fixed b) const { return bids ? a > b : a < b; }
  bool bids;
};

typedef std::list<Order*> Level;                   // FIFO within a price
typedef std::map<Fixed, Level, BestFirst> Ladder;  // price -> level
typedef std::map<Fixed, Fixed, BestFirst> Depth;   // price -> aggregated size
typedef std::pair<Depth, Depth> BookDepth;         // bids, asks

struct Book {
  Book() : bids(BestFirst(true)), asks(BestFirst(false)) {}
  Ladder bids, asks;
  Ladder& side(char s) { return s == kBuy ? bids : asks; }
};

Depth depthOf(const Ladder& ladder) {
  Depth depth(ladder.key_comp());
  for (const auto& level : ladder) {
    Fixed size = 0;
    for (const Order* o : level.second) size += o->leaves();
    depth.insert(std::make_pair(level.first, size));
  }
  return depth;
}

bool wouldCross(Book& book, char side, Fixed limit) {
  const Ladder& other = book.side(opposite(side));
  return !other.empty() && crosses(side, limit, other.begin()->first);
}

// Without a data dictionary QuickFIX knows no group layout, so outgoing groups
// carry their own field order.
const int kSnapshotEntryOrder[] = {F::MDEntryType, F::MDEntryPx, F::MDEntrySize, 0};
const int kIncrementalEntryOrder[] = {F::MDUpdateAction, F::MDEntryType, F::Symbol,
                                      F::MDEntryPx, F::MDEntrySize, 0};

FIX::Message newMessage(const char* msgType) {
  FIX::Message message;
  message.getHeader().setField(F::MsgType, msgType);
  return message;
}

std::string compIdOf(const FIX::SessionID& id) { return id.getTargetCompID().getValue(); }

std::string msgTypeOf(const FIX::Message& message) {
  return message.getHeader().getField(F::MsgType);
}

// Field readers throw QuickFIX's own exceptions so a malformed message gets
// QuickFIX's session-level Reject.
Fixed fixedField(const FIX::Message& message, int tag) {
  Fixed value;
  if (!parseFixed(message.getField(tag), value))
    throw FIX::IncorrectDataFormat(tag, message.getField(tag));
  return value;
}

char sideField(const FIX::Message& message) {
  const std::string& side = message.getField(F::Side);
  if (side != "1" && side != "2") throw FIX::IncorrectTagValue(F::Side);
  return side[0];
}

bool isPostOnly(const FIX::Message& message) {
  return message.isSetField(F::ExecInst) &&
         message.getField(F::ExecInst).find('6') != std::string::npos;
}

// QuickFIX rejects any message that repeats a tag outside a group it knows,
// and a MarketDataRequest repeats 269 (and 55 for several symbols). With
// UseDataDictionary=N each session is taught just these group layouts; a
// dictionary without a version adds no other validation.
FIX::DataDictionaryProvider groupLayouts() {
  FIX::DataDictionary instrument;
  for (int tag : {F::Symbol, F::SymbolSfx, F::SecurityID, F::SecurityIDSource, F::Product,
                  F::SecurityType, F::SecurityExchange})
    instrument.addField(tag);
  FIX::DataDictionary entryTypes;
  entryTypes.addField(F::MDEntryType);
  auto layouts = std::make_shared<FIX::DataDictionary>();
  layouts->addGroup(FIX::MsgType_MarketDataRequest, F::NoRelatedSym, F::Symbol, instrument);
  layouts->addGroup(FIX::MsgType_MarketDataRequest, F::NoMDEntryTypes, F::MDEntryType, entryTypes);
  FIX::DataDictionaryProvider provider;
  provider.addTransportDataDictionary(FIX::BeginString(FIX::BeginString_FIX44), layouts);
  return provider;
}

// ---------------------------------------------------------------- exchange

class Exchange : public FIX::Application {
 public:
  explicit Exchange(const std::map<std::string, std::string>& passwords)
      : passwords_(passwords), orderIds_(0), execIds_(0) {}

  // A symbol whose market data is published but whose orders are refused as unknown: an
  // order-entry gateway that does not list what its market-data gateway does.
  void refuseOrders(const std::string& symbol) { refusedSymbols_.insert(symbol); }

  void addBook(const std::string& symbol, Fixed bid, Fixed ask, Fixed qty) {
    Book& book = books_[symbol];
    if (qty == 0) return;
    for (char side : {kBuy, kSell}) {
      Order house;
      house.symbol = symbol;
      house.side = side;
      house.price = side == kBuy ? bid : ask;
      house.qty = qty;
      allOrders_.push_back(house);
      book.side(side)[house.price].push_back(&allOrders_.back());
    }
  }

  // Answers a stdin inspection command with one line.
  std::string command(const std::string& verb, const std::string& arg) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (verb == "count" && !arg.empty()) {
      int live = 0;
      for (const Order& o : allOrders_)
        if (o.owner == arg && o.live()) ++live;
      return "count " + arg + " " + std::to_string(live);
    }
    if (verb == "book" && !arg.empty()) {
      auto book = books_.find(arg);
      if (book == books_.end()) return "book " + arg + " unknown";
      return "book " + arg + " " + describe(book->second.bids) + "|" +
             describe(book->second.asks);
    }
    return "error unknown command: " + verb + (arg.empty() ? "" : " " + arg);
  }

  void onCreate(const FIX::SessionID&) {}

  void onLogon(const FIX::SessionID& id) { emit("LOGON " + compIdOf(id)); }

  void onLogout(const FIX::SessionID& id) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (auto it = subscriptions_.begin(); it != subscriptions_.end();)
        it = it->first.first == id ? subscriptions_.erase(it) : std::next(it);
    }
    emit("LOGOUT " + compIdOf(id));
  }

  void toAdmin(FIX::Message&, const FIX::SessionID&) {}

  void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) {}

  void fromAdmin(const FIX::Message& message, const FIX::SessionID& id) throw(
      FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue,
      FIX::RejectLogon) {
    if (msgTypeOf(message) != FIX::MsgType_Logon) return;
    auto password = passwords_.find(compIdOf(id));
    if (password == passwords_.end()) return;
    if (!message.isSetField(F::Password) ||
        message.getField(F::Password) != password->second)
      throw FIX::RejectLogon("bad password");
  }

  void fromApp(const FIX::Message& message, const FIX::SessionID& id) throw(
      FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue,
      FIX::UnsupportedMessageType) {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::map<std::string, BookDepth> before = subscribedDepths();
    const std::string type = msgTypeOf(message);
    if (type == "D") newOrder(message, id);
    else if (type == "F") cancel(message, id);
    else if (type == "G") replace(message, id);
    else if (type == "H") orderStatus(message, id);
    else if (type == "q") massCancel(message, id);
    else if (type == "V") marketData(message, id);
    else throw FIX::UnsupportedMessageType();
    publishChanges(before);
  }

 private:
  // Handlers parse everything they need before changing any state, so a
  // message QuickFIX rejects for a bad field leaves the books untouched.

  void newOrder(const FIX::Message& message, const FIX::SessionID& id) {
    Order o;
    o.session = id;
    o.owner = compIdOf(id);
    o.clOrdId = message.getField(F::ClOrdID);
    o.symbol = message.getField(F::Symbol);
    o.side = sideField(message);
    o.qty = fixedField(message, F::OrderQty);
    if (o.qty == 0) throw FIX::IncorrectTagValue(F::OrderQty);
    const bool limit = message.getField(F::OrdType) == "2";
    if (limit || message.isSetField(F::Price)) o.price = fixedField(message, F::Price);

    // A duplicate is answered but not recorded: the id stays with its first order.
    if (clOrdIds_[o.owner].count(o.clOrdId)) return reject(o, 6, "duplicate ClOrdID");
    auto book = books_.find(o.symbol);
    if (book == books_.end() || refusedSymbols_.count(o.symbol)) return reject(record(o), 1, "unknown symbol");
    if (!limit) return reject(record(o), 11, "unsupported OrdType");
    if (isPostOnly(message) && wouldCross(book->second, o.side, o.price))
      return reject(record(o), 99, "post-only order would cross");

    o.orderId = "X" + std::to_string(++orderIds_);
    Order& accepted = record(o);
    send(executionReport(accepted, '0'), id);
    match(accepted, book->second);
  }

  void cancel(const FIX::Message& message, const FIX::SessionID& id) {
    const std::string clOrdId = message.getField(F::ClOrdID);
    const std::string origClOrdId = message.getField(F::OrigClOrdID);
    Order* o = liveOrder(id, origClOrdId);
    if (!o) return cancelReject(id, clOrdId, origClOrdId, 0, '1', 1, "unknown order");
    if (!claim(*o, clOrdId))
      return cancelReject(id, clOrdId, origClOrdId, o, '1', 6, "duplicate ClOrdID");
    cancelOrder(*o, origClOrdId);
  }

  void replace(const FIX::Message& message, const FIX::SessionID& id) {
    const std::string clOrdId = message.getField(F::ClOrdID);
    const std::string origClOrdId = message.getField(F::OrigClOrdID);
    const Fixed qty = fixedField(message, F::OrderQty);
    Order* o = liveOrder(id, origClOrdId);
    if (!o) return cancelReject(id, clOrdId, origClOrdId, 0, '2', 1, "unknown order");
    const Fixed price = message.isSetField(F::Price) ? fixedField(message, F::Price) : o->price;
    Book& book = books_.at(o->symbol);
    if (message.isSetField(F::OrdType) && message.getField(F::OrdType) != "2")
      return cancelReject(id, clOrdId, origClOrdId, o, '2', 99, "unsupported OrdType");
    if (isPostOnly(message) && wouldCross(book, o->side, price))
      return cancelReject(id, clOrdId, origClOrdId, o, '2', 99, "post-only order would cross");
    if (!claim(*o, clOrdId))
      return cancelReject(id, clOrdId, origClOrdId, o, '2', 6, "duplicate ClOrdID");

    if (qty <= o->cum) return cancelOrder(*o, origClOrdId);  // nothing left to work

    const bool keepsPriority = price == o->price && qty <= o->qty;
    if (!keepsPriority) removeFromBook(*o);
    o->price = price;
    o->qty = qty;
    o->status = o->cum > 0 ? '1' : '0';
    FIX::Message report = executionReport(*o, '5');
    report.setField(F::OrigClOrdID, origClOrdId);
    send(report, id);
    if (!keepsPriority) match(*o, book);
  }

  void orderStatus(const FIX::Message& message, const FIX::SessionID& id) {
    const std::string clOrdId = message.getField(F::ClOrdID);
    const std::map<std::string, Order*>& ids = clOrdIds_[compIdOf(id)];
    auto known = ids.find(clOrdId);
    if (known != ids.end()) return send(executionReport(*known->second, 'I'), id);

    Order unknown;
    unknown.orderId = "NONE";
    unknown.status = '8';
    unknown.clOrdId = clOrdId;
    unknown.symbol = message.getField(F::Symbol);
    unknown.side = sideField(message);
    FIX::Message report = executionReport(unknown, 'I');
    report.setField(F::Text, "unknown order");
    send(report, id);
  }

  void massCancel(const FIX::Message& message, const FIX::SessionID& id) {
    const std::string clOrdId = message.getField(F::ClOrdID);
    const std::string requestType = message.getField(F::MassCancelRequestType);
    FIX::Message report = newMessage("r");
    report.setField(F::ClOrdID, clOrdId);
    report.setField(F::OrderID, "NONE");
    report.setField(F::MassCancelRequestType, requestType);
    if (requestType != "7") {  // only "cancel all orders" is supported
      report.setField(F::MassCancelResponse, "0");
      report.setField(F::MassCancelRejectReason, "0");
      return send(report, id);
    }
    int affected = 0;
    const std::string owner = compIdOf(id);
    for (Order& o : allOrders_) {
      if (o.owner != owner || !o.live()) continue;
      cancelOrder(o, "");
      ++affected;
    }
    report.setField(F::MassCancelResponse, "7");
    report.setField(F::TotalAffectedOrders, std::to_string(affected));
    send(report, id);
  }

  void marketData(const FIX::Message& message, const FIX::SessionID& id) {
    const std::string reqId = message.getField(F::MDReqID);
    const std::string requestType = message.getField(F::SubscriptionRequestType);
    const std::pair<FIX::SessionID, std::string> key(id, reqId);
    if (requestType == "2") {
      subscriptions_.erase(key);
      return;
    }
    if (requestType != "0" && requestType != "1")
      return marketDataReject(id, reqId, "4", "unsupported SubscriptionRequestType");
    // Only the first instrument of NoRelatedSym is served.
    const std::string symbol = message.getGroupRef(1, F::NoRelatedSym).getField(F::Symbol);
    auto book = books_.find(symbol);
    if (book == books_.end()) return marketDataReject(id, reqId, "0", "unknown symbol");

    FIX::Message snapshot = newMessage("W");
    snapshot.setField(F::MDReqID, reqId);
    snapshot.setField(F::Symbol, symbol);
    snapshot.setField(F::NoMDEntries, "0");  // stays if the book is empty
    const char* types = "01";                // bid, offer
    const Ladder* sides[] = {&book->second.bids, &book->second.asks};
    for (int s = 0; s < 2; ++s) {
      for (const auto& level : depthOf(*sides[s])) {
        FIX::Group entry(F::NoMDEntries, F::MDEntryType, kSnapshotEntryOrder);
        entry.setField(F::MDEntryType, std::string(1, types[s]));
        entry.setField(F::MDEntryPx, formatFixed(level.first));
        entry.setField(F::MDEntrySize, formatFixed(level.second));
        snapshot.addGroup(entry);
      }
    }
    send(snapshot, id);
    if (requestType == "1") subscriptions_[key] = symbol;
  }

  // ---- order book mechanics

  // Trades an arriving (or re-priced) order against the other side at the
  // resting prices, then rests whatever is left.
  void match(Order& o, Book& book) {
    Ladder& other = book.side(opposite(o.side));
    while (o.leaves() > 0 && !other.empty() && crosses(o.side, o.price, other.begin()->first)) {
      const Fixed price = other.begin()->first;
      Level& level = other.begin()->second;
      Order& resting = *level.front();
      const Fixed qty = std::min(o.leaves(), resting.leaves());
      fill(o, price, qty);
      fill(resting, price, qty);
      if (!resting.live()) {
        level.pop_front();
        if (level.empty()) other.erase(other.begin());
      }
    }
    if (o.leaves() > 0) book.side(o.side)[o.price].push_back(&o);
  }

  void fill(Order& o, Fixed price, Fixed qty) {
    o.cum += qty;
    o.notional += static_cast<__int128>(price) * qty;
    o.status = o.cum == o.qty ? '2' : '1';
    if (o.owner.empty()) return;  // house liquidity just shrinks
    FIX::Message report = executionReport(o, 'F');
    report.setField(F::LastPx, formatFixed(price));
    report.setField(F::LastQty, formatFixed(qty));
    send(report, o.session);
  }

  void removeFromBook(Order& o) {
    Ladder& ladder = books_.at(o.symbol).side(o.side);
    auto level = ladder.find(o.price);
    level->second.remove(&o);
    if (level->second.empty()) ladder.erase(level);
  }

  // Cancels a live order; origClOrdId is empty when no single request names it.
  void cancelOrder(Order& o, const std::string& origClOrdId) {
    removeFromBook(o);
    o.status = '4';
    FIX::Message report = executionReport(o, '4');
    if (!origClOrdId.empty()) report.setField(F::OrigClOrdID, origClOrdId);
    send(report, o.session);
  }

  Order& record(const Order& o) {
    allOrders_.push_back(o);
    Order& stored = allOrders_.back();
    clOrdIds_[stored.owner][stored.clOrdId] = &stored;
    return stored;
  }

  // Moves an order to a new ClOrdID; fails if the id belongs to another order.
  bool claim(Order& o, const std::string& clOrdId) {
    std::map<std::string, Order*>& ids = clOrdIds_[o.owner];
    auto taken = ids.find(clOrdId);
    if (taken != ids.end() && taken->second != &o) return false;
    o.clOrdId = clOrdId;
    ids[clOrdId] = &o;
    return true;
  }

  // Only an order's latest ClOrdID can cancel or replace it.
  Order* liveOrder(const FIX::SessionID& id, const std::string& clOrdId) {
    const std::map<std::string, Order*>& ids = clOrdIds_[compIdOf(id)];
    auto found = ids.find(clOrdId);
    if (found == ids.end()) return 0;
    Order* o = found->second;
    return o->live() && o->clOrdId == clOrdId ? o : 0;
  }

  std::string describe(const Ladder& ladder) const {
    std::string text;
    for (const auto& level : ladder) {
      for (const Order* o : level.second) {
        if (!text.empty()) text += ",";
        text += formatFixed(level.first) + ":" + formatFixed(o->leaves()) + ":" +
                (o->owner.empty() ? "house" : o->owner);
      }
    }
    return text;
  }

  // ---- market data publication

  std::map<std::string, BookDepth> subscribedDepths() {
    std::map<std::string, BookDepth> depths;
    for (const auto& subscription : subscriptions_) {
      const std::string& symbol = subscription.second;
      if (depths.count(symbol)) continue;
      const Book& book = books_.at(symbol);
      depths.insert(std::make_pair(symbol, BookDepth(depthOf(book.bids), depthOf(book.asks))));
    }
    return depths;
  }

  // Sends one incremental refresh per subscription whose book changed, after
  // the execution reports of the change.
  void publishChanges(const std::map<std::string, BookDepth>& before) {
    for (const auto& snapshot : before) {
      const std::string& symbol = snapshot.first;
      const Book& book = books_.at(symbol);
      std::vector<FIX::Group> entries;
      diff(symbol, '0', snapshot.second.first, depthOf(book.bids), entries);
      diff(symbol, '1', snapshot.second.second, depthOf(book.asks), entries);
      if (entries.empty()) continue;
      for (const auto& subscription : subscriptions_) {
        if (subscription.second != symbol) continue;
        FIX::Message refresh = newMessage("X");
        refresh.setField(F::MDReqID, subscription.first.second);
        for (const FIX::Group& entry : entries) refresh.addGroup(entry);
        send(refresh, subscription.first.first);
      }
    }
  }

  // Walks both best-first depths in step, emitting new, changed and deleted levels.
  static void diff(const std::string& symbol, char entryType, const Depth& before,
                   const Depth& after, std::vector<FIX::Group>& entries) {
    const BestFirst better = after.key_comp();
    auto b = before.begin();
    auto a = after.begin();
    while (b != before.end() || a != after.end()) {
      if (a == after.end() || (b != before.end() && better(b->first, a->first))) {
        entries.push_back(incrementalEntry('2', entryType, symbol, b->first, 0));
        ++b;
      } else if (b == before.end() || better(a->first, b->first)) {
        entries.push_back(incrementalEntry('0', entryType, symbol, a->first, a->second));
        ++a;
      } else {
        if (a->second != b->second)
          entries.push_back(incrementalEntry('1', entryType, symbol, a->first, a->second));
        ++a;
        ++b;
      }
    }
  }

  static FIX::Group incrementalEntry(char action, char entryType, const std::string& symbol,
                                     Fixed price, Fixed size) {
    FIX::Group entry(F::NoMDEntries, F::MDUpdateAction, kIncrementalEntryOrder);
    entry.setField(F::MDUpdateAction, std::string(1, action));
    entry.setField(F::MDEntryType, std::string(1, entryType));
    entry.setField(F::Symbol, symbol);
    entry.setField(F::MDEntryPx, formatFixed(price));
    entry.setField(F::MDEntrySize, formatFixed(size));
    return entry;
  }

  // ---- outgoing messages

  FIX::Message executionReport(const Order& o, char execType) {
    FIX::Message report = newMessage("8");
    report.setField(F::OrderID, o.orderId);
    report.setField(F::ExecID, "E" + std::to_string(++execIds_));
    report.setField(F::ExecType, std::string(1, execType));
    report.setField(F::OrdStatus, std::string(1, o.status));
    report.setField(F::ClOrdID, o.clOrdId);
    report.setField(F::Symbol, o.symbol);
    report.setField(F::Side, std::string(1, o.side));
    report.setField(F::OrderQty, formatFixed(o.qty));
    report.setField(F::Price, formatFixed(o.price));
    report.setField(F::CumQty, formatFixed(o.cum));
    report.setField(F::LeavesQty, formatFixed(o.leaves()));
    report.setField(F::AvgPx, avgPx(o));
    report.setField(FIX::UtcTimeStampField(F::TransactTime, 3));
    return report;
  }

  void reject(Order& o, int reason, const std::string& text) {
    o.orderId = "NONE";
    o.status = '8';
    FIX::Message report = executionReport(o, '8');
    report.setField(F::OrdRejReason, std::to_string(reason));
    report.setField(F::Text, text);
    send(report, o.session);
  }

  // o is the order the request named, or null if it names none.
  void cancelReject(const FIX::SessionID& id, const std::string& clOrdId,
                    const std::string& origClOrdId, const Order* o, char responseTo,
                    int reason, const std::string& text) {
    FIX::Message reply = newMessage("9");
    reply.setField(F::ClOrdID, clOrdId);
    reply.setField(F::OrigClOrdID, origClOrdId);
    reply.setField(F::OrderID, o ? o->orderId : "NONE");
    reply.setField(F::OrdStatus, std::string(1, o ? o->status : '8'));
    reply.setField(F::CxlRejResponseTo, std::string(1, responseTo));
    reply.setField(F::CxlRejReason, std::to_string(reason));
    reply.setField(F::Text, text);
    send(reply, id);
  }

  void marketDataReject(const FIX::SessionID& id, const std::string& reqId,
                        const char* reason, const std::string& text) {
    FIX::Message reply = newMessage("Y");
    reply.setField(F::MDReqID, reqId);
    reply.setField(F::MDReqRejReason, reason);
    reply.setField(F::Text, text);
    send(reply, id);
  }

  static void send(FIX::Message message, const FIX::SessionID& id) {
    FIX::Session::sendToTarget(message, id);
  }

  const std::map<std::string, std::string> passwords_;  // only clients that have one
  std::mutex mutex_;  // the QuickFIX thread and the stdin loop share everything below
  std::map<std::string, Book> books_;
  std::set<std::string> refusedSymbols_;
  std::list<Order> allOrders_;  // every order ever, live or done; a list keeps pointers stable
  std::map<std::string, std::map<std::string, Order*>> clOrdIds_;  // owner -> ClOrdID -> order
  std::map<std::pair<FIX::SessionID, std::string>, std::string> subscriptions_;  // -> symbol
  long orderIds_;
  long execIds_;
};

// Tees each session's traffic to its file log and to stdout as IN/OUT lines,
// with passwords masked in both.
class EchoLog : public FIX::Log {
 public:
  EchoLog(FIX::LogFactory& files, const FIX::SessionID& id)
      : files_(files), file_(files.create(id)), compId_(compIdOf(id)) {}
  ~EchoLog() { files_.destroy(file_); }

  void clear() { file_->clear(); }
  void backup() { file_->backup(); }
  void onIncoming(const std::string& raw) {
    const std::string masked = maskPasswords(raw);
    file_->onIncoming(masked);
    emit("IN " + compId_ + " " + pipes(masked));
  }
  void onOutgoing(const std::string& raw) {
    const std::string masked = maskPasswords(raw);
    file_->onOutgoing(masked);
    emit("OUT " + compId_ + " " + pipes(masked));
  }
  void onEvent(const std::string& text) { file_->onEvent(text); }

 private:
  FIX::LogFactory& files_;
  FIX::Log* file_;
  const std::string compId_;
};

class EchoLogFactory : public FIX::LogFactory {
 public:
  explicit EchoLogFactory(const FIX::SessionSettings& settings) : files_(settings) {}

  FIX::Log* create() { return files_.create(); }  // the global log: events only
  FIX::Log* create(const FIX::SessionID& id) { return new EchoLog(files_, id); }
  void destroy(FIX::Log* log) {
    if (dynamic_cast<EchoLog*>(log)) delete log;
    else files_.destroy(log);
  }

 private:
  FIX::FileLogFactory files_;
};

// ---------------------------------------------------------------- initiator

// The one-shot counterparty: one limit order, then log out.
class Crosser : public FIX::Application {
 public:
  explicit Crosser(const std::string& password)
      : password_(password), loggedOn_(false), done_(false), filled_("0") {}

  bool awaitLogon(int seconds) { return await(seconds, [this] { return loggedOn_; }); }
  bool awaitDone(int seconds) { return await(seconds, [this] { return done_; }); }
  bool awaitLogout(int seconds) { return await(seconds, [this] { return !loggedOn_; }); }

  std::string filled() {
    std::lock_guard<std::mutex> lock(mutex_);
    return filled_;
  }

  void sendOrder(const FIX::SessionID& id, const std::string& symbol, char side,
                 const std::string& price, const std::string& qty) {
    FIX::Message order = newMessage("D");
    {
      std::lock_guard<std::mutex> lock(mutex_);
      // Microseconds keep ids unique across runs against the same exchange.
      clOrdId_ = "C" + std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
      order.setField(F::ClOrdID, clOrdId_);
    }
    order.setField(F::Symbol, symbol);
    order.setField(F::Side, std::string(1, side));
    order.setField(F::OrderQty, qty);
    order.setField(F::OrdType, "2");
    order.setField(F::Price, price);
    order.setField(F::TimeInForce, "0");
    order.setField(FIX::UtcTimeStampField(F::TransactTime, 3));
    FIX::Session::sendToTarget(order, id);
  }

  void onCreate(const FIX::SessionID&) {}
  void onLogon(const FIX::SessionID&) { update([this] { loggedOn_ = true; }); }
  void onLogout(const FIX::SessionID&) { update([this] { loggedOn_ = false; }); }

  void toAdmin(FIX::Message& message, const FIX::SessionID&) {
    if (!password_.empty() && msgTypeOf(message) == FIX::MsgType_Logon)
      message.setField(F::Password, password_);
  }

  void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) {}

  void fromAdmin(const FIX::Message&, const FIX::SessionID&) throw(
      FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue,
      FIX::RejectLogon) {}

  void fromApp(const FIX::Message& message, const FIX::SessionID&) throw(
      FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue,
      FIX::UnsupportedMessageType) {
    if (msgTypeOf(message) != FIX::MsgType_ExecutionReport) return;
    emit("ER " + pipes(message.toString()));
    update([&] {
      if (!message.isSetField(F::ClOrdID) || message.getField(F::ClOrdID) != clOrdId_) return;
      if (message.isSetField(F::CumQty)) filled_ = message.getField(F::CumQty);
      const std::string status =
          message.isSetField(F::OrdStatus) ? message.getField(F::OrdStatus) : "";
      if (status == "2" || status == "4" || status == "8") done_ = true;
    });
  }

 private:
  template <typename Predicate>
  bool await(int seconds, Predicate predicate) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(seconds), predicate);
  }

  template <typename Change>
  void update(Change change) {
    std::lock_guard<std::mutex> lock(mutex_);
    change();
    changed_.notify_all();
  }

  const std::string password_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool loggedOn_;
  bool done_;
  std::string filled_;
  std::string clOrdId_;
};

// ---------------------------------------------------------------- command line

void usage() {
  std::cerr
      << "usage:\n"
         "  qdx-exchange --port N --store DIR --client COMPID[:PASSWORD]...\n"
         "               [--book SYMBOL,BIDPX,ASKPX,QTY]... [--refuse-orders SYMBOL]...\n"
         "  qdx-exchange --initiate --port N --store DIR --sender COMPID --symbol SYM\n"
         "               --side buy|sell --price P --qty Q [--password PW]\n";
}

struct Args {
  Args() : initiate(false) {}
  bool initiate;
  std::multimap<std::string, std::string> values;  // flag name without "--" -> value
};

bool parseArgs(int argc, char** argv, Args& args) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--initiate") {
      args.initiate = true;
      continue;
    }
    if (flag.compare(0, 2, "--") != 0 || i + 1 >= argc) return false;
    args.values.insert(std::make_pair(flag.substr(2), argv[++i]));
  }
  return true;
}

bool onlyFlags(const Args& args, const std::vector<std::string>& allowed) {
  for (const auto& value : args.values)
    if (std::find(allowed.begin(), allowed.end(), value.first) == allowed.end()) return false;
  return true;
}

// The value of a flag given at most once; empty if absent.
bool single(const Args& args, const std::string& name, std::string& value) {
  if (args.values.count(name) > 1) return false;
  auto found = args.values.find(name);
  value = found == args.values.end() ? "" : found->second;
  return true;
}

bool parsePort(const std::string& text, int& port) {
  if (text.empty() || text.size() > 5 ||
      text.find_first_not_of("0123456789") != std::string::npos)
    return false;
  port = std::stoi(text);
  return port > 0 && port < 65536;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  return parts;
}

// Settings shared by both modes; only SocketAcceptor/SocketInitiator details differ.
std::string commonSettings(const std::string& store) {
  return "BeginString=FIX.4.4\n"
         "FileStorePath=" + store + "/store\n"
         "StartTime=00:00:00\n"
         "EndTime=00:00:00\n"
         "UseDataDictionary=N\n"
         "ValidateUserDefinedFields=N\n"
         "CheckLatency=N\n";
}

int runExchange(const Args& args) {
  std::string portText, store;
  int port;
  if (!onlyFlags(args, {"port", "store", "client", "book", "refuse-orders"}) || !single(args, "port", portText) ||
      !single(args, "store", store) || !parsePort(portText, port) || store.empty() ||
      !args.values.count("client")) {
    usage();
    return 1;
  }

  std::vector<std::string> clients;
  std::map<std::string, std::string> passwords;
  auto range = args.values.equal_range("client");
  for (auto it = range.first; it != range.second; ++it) {
    const std::string::size_type colon = it->second.find(':');
    const std::string compId = it->second.substr(0, colon);
    if (compId.empty()) {
      usage();
      return 1;
    }
    clients.push_back(compId);
    if (colon != std::string::npos && colon + 1 < it->second.size())
      passwords[compId] = it->second.substr(colon + 1);
  }

  Exchange exchange(passwords);
  range = args.values.equal_range("book");
  for (auto it = range.first; it != range.second; ++it) {
    const std::vector<std::string> parts = split(it->second, ',');
    Fixed bid, ask, qty;
    if (parts.size() != 4 || parts[0].empty() || !parseFixed(parts[1], bid) ||
        !parseFixed(parts[2], ask) || !parseFixed(parts[3], qty)) {
      std::cerr << "qdx-exchange: bad --book " << it->second << "\n";
      return 1;
    }
    exchange.addBook(parts[0], bid, ask, qty);
  }
  range = args.values.equal_range("refuse-orders");
  for (auto it = range.first; it != range.second; ++it) exchange.refuseOrders(it->second);

  std::ostringstream text;
  text << "[DEFAULT]\n"
       << "ConnectionType=acceptor\n"
       << commonSettings(store)
       << "SenderCompID=QDX\n"
       << "SocketAcceptPort=" << port << "\n"  // QuickFIX 1.15 has no SocketAcceptHost
       << "SocketReuseAddress=Y\n"
       << "FileLogPath=" << store << "/log\n"
       << "ResetOnLogon=N\n"
       << "ResetOnLogout=N\n"
       << "ResetOnDisconnect=N\n";
  for (const std::string& client : clients) text << "\n[SESSION]\nTargetCompID=" << client << "\n";

  try {
    std::istringstream in(text.str());
    FIX::SessionSettings settings(in);
    FIX::FileStoreFactory storeFactory(settings);
    EchoLogFactory logFactory(settings);
    FIX::SocketAcceptor acceptor(exchange, storeFactory, settings, logFactory);
    const FIX::DataDictionaryProvider layouts = groupLayouts();
    for (const FIX::SessionID& id : acceptor.getSessions())
      acceptor.getSession(id)->setDataDictionaryProvider(layouts);
    acceptor.start();  // binds the port before returning
    emit("READY " + std::to_string(port));

    std::string line;
    while (std::getline(std::cin, line)) {
      std::istringstream words(line);
      std::string verb, arg;
      words >> verb >> arg;
      if (verb == "quit") break;
      if (!verb.empty()) emit(exchange.command(verb, arg));
    }
    acceptor.stop();
  } catch (const std::exception& e) {
    std::cerr << "qdx-exchange: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

int runInitiator(const Args& args) {
  std::string portText, store, sender, symbol, sideText, price, qty, password;
  int port;
  Fixed number;
  if (!onlyFlags(args, {"port", "store", "sender", "symbol", "side", "price", "qty", "password"}) ||
      !single(args, "port", portText) || !single(args, "store", store) ||
      !single(args, "sender", sender) || !single(args, "symbol", symbol) ||
      !single(args, "side", sideText) || !single(args, "price", price) ||
      !single(args, "qty", qty) || !single(args, "password", password) ||
      !parsePort(portText, port) || store.empty() || sender.empty() || symbol.empty() ||
      (sideText != "buy" && sideText != "sell") || !parseFixed(price, number) ||
      !parseFixed(qty, number)) {
    usage();
    return 1;
  }

  std::ostringstream text;
  text << "[DEFAULT]\n"
       << "ConnectionType=initiator\n"
       << commonSettings(store)
       << "SocketConnectHost=127.0.0.1\n"
       << "SocketConnectPort=" << port << "\n"
       << "HeartBtInt=30\n"
       << "ReconnectInterval=1\n"
       << "ResetOnLogon=Y\n"
       << "\n[SESSION]\n"
       << "SenderCompID=" << sender << "\n"
       << "TargetCompID=QDX\n";

  try {
    std::istringstream in(text.str());
    FIX::SessionSettings settings(in);
    Crosser crosser(password);
    FIX::FileStoreFactory storeFactory(settings);
    FIX::SocketInitiator initiator(crosser, storeFactory, settings);
    initiator.start();
    if (!crosser.awaitLogon(10)) {
      std::cerr << "qdx-exchange: could not log on to 127.0.0.1:" << port << " within 10 s\n";
      initiator.stop(true);
      return 2;
    }

    const FIX::SessionID session("FIX.4.4", sender, "QDX");
    crosser.sendOrder(session, symbol, sideText == "buy" ? kBuy : kSell, price, qty);
    crosser.awaitDone(5);
    // Logging out first lets stop() skip its one-second polling for logout.
    FIX::Session::lookupSession(session)->logout();
    crosser.awaitLogout(5);
    initiator.stop();
    emit("DONE filled=" + crosser.filled());
  } catch (const std::exception& e) {
    std::cerr << "qdx-exchange: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // A peer vanishing mid-write must not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  Args args;
  if (!parseArgs(argc, argv, args)) {
    usage();
    return 1;
  }
  return args.initiate ? runInitiator(args) : runExchange(args);
}
