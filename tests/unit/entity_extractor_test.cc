#include "text/entity_extractor.h"
#include "text/pii_redactor.h"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace shopdesk::text;
using shopdesk::common::Entity;

namespace {

using std::chrono::December;
const std::chrono::sys_days kToday{std::chrono::year(2026) / December / 6};

// "kind=value" of each entity found in `text`.
std::vector<std::string> found(const EntityExtractor& extractor, std::string_view text) {
  std::vector<std::string> out;
  for (const auto& f : extractor.extract(text, kToday)) out.push_back(f.entity.kind + "=" + f.entity.value);
  return out;
}

using Strings = std::vector<std::string>;
using Patterns = std::vector<EntityPattern>;

}  // namespace

TEST(EntityExtractor, FindsOrderNumbers) {
  const EntityExtractor extractor;
  EXPECT_EQ(found(extractor, "where is order SD-482913?"), Strings{"order_number=SD-482913"});
  EXPECT_EQ(found(extractor, "where abouts is ORD2210 right now"), Strings{"order_number=ORD-2210"});
  EXPECT_EQ(found(extractor, "sd-482913 never came"), Strings{"order_number=SD-482913"});
  EXPECT_EQ(found(extractor, "order 1234567890 please"), Strings{"order_number=1234567890"});
  // Too short or too long to be an order number; a year is a year.
  EXPECT_TRUE(found(extractor, "I ordered 3 in 2024, code 1234567").empty());
  EXPECT_TRUE(found(extractor, std::string(10000, '7')).empty());
}

TEST(EntityExtractor, FindsEmailsAndRefusesImpossibleOnes) {
  const EntityExtractor extractor;
  EXPECT_EQ(found(extractor, "mail me at Ann.Lee+shop@Example.co.uk thanks"),
            Strings{"email=ann.lee+shop@example.co.uk"});
  // A 300-character address is no address, and no tail of it is taken for one.
  EXPECT_TRUE(found(extractor, std::string(290, 'a') + "@example.com").empty());
}

TEST(EntityExtractor, FindsMoneyWithItsCurrency) {
  const EntityExtractor extractor;
  EXPECT_EQ(found(extractor, "charged £75 twice"), Strings{"money=75.00 GBP"});
  EXPECT_EQ(found(extractor, "a hold of $1,299.5 on my card"), Strings{"money=1299.50 USD"});
  EXPECT_EQ(found(extractor, "refund of 20 euros"), Strings{"money=20.00 EUR"});
  EXPECT_EQ(found(extractor, "it was EUR 15.99"), Strings{"money=15.99 EUR"});
  EXPECT_EQ(found(extractor, "cost me 40 quid"), Strings{"money=40.00 GBP"});
}

TEST(EntityExtractor, FindsDatesAndResolvesThemAgainstToday) {
  const EntityExtractor extractor;
  EXPECT_EQ(found(extractor, "ordered yesterday"), Strings{"date=2026-12-05"});
  EXPECT_EQ(found(extractor, "arriving Tomorrow?"), Strings{"date=2026-12-07"});
  EXPECT_EQ(found(extractor, "bought on 3 March"), Strings{"date=2026-03-03"});
  EXPECT_EQ(found(extractor, "since March 3rd"), Strings{"date=2026-03-03"});
  EXPECT_EQ(found(extractor, "on the 21st of november"), Strings{"date=2026-11-21"});
  EXPECT_EQ(found(extractor, "placed 2026-11-30"), Strings{"date=2026-11-30"});
  EXPECT_EQ(found(extractor, "placed 5/12/2026"), Strings{"date=2026-12-05"});  // day first
  EXPECT_TRUE(found(extractor, "on 31/02/2026").empty());                       // no such day
}

TEST(EntityExtractor, FindsSizes) {
  const EntityExtractor extractor;
  EXPECT_EQ(found(extractor, "trail shoes in size 44"), Strings{"size=44"});
  EXPECT_EQ(found(extractor, "have you got them in a UK5.5"), Strings{"size=UK 5.5"});
  EXPECT_EQ(found(extractor, "the jumper in size XL"), Strings{"size=XL"});
}

TEST(EntityExtractor, KeepsOneEntityWhereMatchesOverlapAndReadsUnicode) {
  const EntityExtractor extractor;
  // The longer match wins: an email holding digits is not an order number.
  EXPECT_EQ(found(extractor, "12345678901@shop.com"), Strings{"email=12345678901@shop.com"});
  const auto text = std::string("Zoë’s order SD-482913 — £12.50 on 3 März? 😀 yesterday");
  const auto entities = extractor.extract(text, kToday);
  ASSERT_EQ(entities.size(), 3u);
  EXPECT_EQ(entities[0].entity.text, "SD-482913");
  EXPECT_EQ(text.substr(entities[0].begin, entities[0].end - entities[0].begin), "SD-482913");
  EXPECT_EQ(entities[1].entity.text, "£12.50");
  EXPECT_EQ(entities[2].entity.value, "2026-12-05");
  EXPECT_EQ(EntityExtractor::mask(text, entities),
            "Zoë’s order  xxordernumberxx  —  xxmoneyxx  on 3 März? 😀  xxdatexx ");
}

TEST(EntityExtractor, TriesTheStoresPatternsFirstAndRefusesBadOnes) {
  const EntityExtractor extractor(
      Patterns{{"order_number", R"(\bW[0-9]{6}\b)"}, {"loyalty_card", R"(\bLC[0-9]{5}\b)"}});
  EXPECT_EQ(found(extractor, "order W123456 and card LC12345"),
            (Strings{"order_number=W-123456", "loyalty_card=LC12345"}));
  try {
    EntityExtractor bad(Patterns{{"order_number", "(SD-[0-9"}});
    FAIL() << "an invalid pattern was taken";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("(SD-[0-9"), std::string::npos) << e.what();
  }
  EXPECT_THROW(EntityExtractor(Patterns{{"Order Number", "[0-9]+"}}), std::invalid_argument);
  EXPECT_THROW(EntityExtractor(Patterns{{"order_number", "x*"}}),
               std::invalid_argument);  // matches empty text
  // A pattern that backtracks exponentially elsewhere runs in linear time under RE2.
  const EntityExtractor slow(Patterns{{"order_number", "(a+)+b"}});
  EXPECT_TRUE(found(slow, std::string(50000, 'a')).empty());
}

TEST(FillPlaceholders, UsesTheEntityOrAWordingWithout) {
  const std::vector<Entity> entities = {{"order_number", "sd-482913", "SD-482913"}};
  EXPECT_EQ(fillPlaceholders("I've found order {order_number}.", entities), "I've found order SD-482913.");
  EXPECT_EQ(fillPlaceholders("Sent to {email|the address on your account}.", entities),
            "Sent to the address on your account.");
  EXPECT_EQ(fillPlaceholders("About {order_number} and {size}.", {}), "About your order and your size.");
  EXPECT_EQ(fillPlaceholders("Braces {like this} and {unknown_kind} stay; so does {", {}),
            "Braces {like this} and {unknown_kind} stay; so does {");
}

TEST(PiiRedactor, MasksEmailsCardsAndPhonesButNotOrdersOrDates) {
  const PiiRedactor redactor;
  EXPECT_EQ(redactor.redact("I'm ann.lee@example.com, call 07700 900123 or +44 7700-900123"),
            "I'm [email], call [phone] or [phone]");
  EXPECT_EQ(redactor.redact("card 4111 1111 1111 1111 was charged twice"), "card [card] was charged twice");
  EXPECT_EQ(redactor.redact("order SD-482913 placed 2026-11-30, 3 items"),
            "order SD-482913 placed 2026-11-30, 3 items");
  EXPECT_EQ(redactor.redact("(555) 123-4567"), "[phone]");
  EXPECT_EQ(redactor.redact(std::string(10000, '7')),
            std::string(10000, '7'));  // no phone, no card: too long
}
