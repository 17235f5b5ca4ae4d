#include "text/utf8.h"

#include <gtest/gtest.h>

using shopdesk::text::countCodepoints;
using shopdesk::text::findInvalidUtf8;
using shopdesk::text::trimSpace;

TEST(Utf8, AcceptsValidText) {
  EXPECT_EQ(findInvalidUtf8(""), std::nullopt);
  EXPECT_EQ(findInvalidUtf8("where is my parcel?"), std::nullopt);
  EXPECT_EQ(findInvalidUtf8("caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x93\xA6"),
            std::nullopt);  // café 日本 📦
}

TEST(Utf8, FindsTheFirstBadByte) {
  EXPECT_EQ(findInvalidUtf8("ab\xFF"), 2u);               // never valid
  EXPECT_EQ(findInvalidUtf8("abc\xC3"), 3u);              // truncated sequence
  EXPECT_EQ(findInvalidUtf8("\xC0\x80"), 0u);             // overlong NUL
  EXPECT_EQ(findInvalidUtf8("x\xED\xA0\x80"), 1u);        // UTF-16 surrogate
  EXPECT_EQ(findInvalidUtf8("ok \xF4\x90\x80\x80"), 3u);  // above U+10FFFF
  EXPECT_EQ(findInvalidUtf8("\xE2\x82\xAC\x80"), 3u);     // stray continuation after a valid euro sign
}

TEST(Utf8, CountsCodepoints) {
  EXPECT_EQ(countCodepoints(""), 0u);
  EXPECT_EQ(countCodepoints("abc"), 3u);
  EXPECT_EQ(countCodepoints("caf\xC3\xA9"), 4u);
  EXPECT_EQ(countCodepoints("\xF0\x9F\x93\xA6\xF0\x9F\x93\xA6"), 2u);
}

TEST(Utf8, TrimsUnicodeSpace) {
  EXPECT_EQ(trimSpace("  hello \t\r\n"), "hello");
  EXPECT_EQ(trimSpace("\xC2\xA0no-break\xE3\x80\x80"), "no-break");  // U+00A0 and U+3000
  EXPECT_EQ(trimSpace("a b"), "a b");
  EXPECT_EQ(trimSpace(" \t "), "");
  EXPECT_EQ(trimSpace("caf\xC3\xA9 "), "caf\xC3\xA9");  // a multi-byte last character is not cut
}
