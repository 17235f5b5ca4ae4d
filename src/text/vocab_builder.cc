#include "text/vocab_builder.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <utility>

#include "text/bpe_tokenizer.h"
#include "text/wordpiece_tokenizer.h"

namespace shopdesk::text {

namespace {

const std::vector<std::string> kBertSpecials = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};

// The UTF-8 code points of `word`, which is valid UTF-8.
std::vector<std::string> characters(const std::string& word) {
  std::vector<std::string> chars;
  for (std::size_t i = 0; i < word.size();) {
    std::size_t length = 1;
    while (i + length < word.size() && (static_cast<unsigned char>(word[i + length]) & 0xC0) == 0x80)
      ++length;
    chars.push_back(word.substr(i, length));
    i += length;
  }
  return chars;
}

void writeFile(const std::filesystem::path& file, const std::string& content) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out.flush()) throw std::runtime_error(file.string() + ": cannot be written");
}

}  // namespace

std::vector<std::string> buildWordPieceVocab(const std::vector<std::string>& texts, std::size_t size,
                                             bool lowerCase) {
  TokenIds specials;
  for (std::size_t i = 0; i < kBertSpecials.size(); ++i)
    specials.emplace(kBertSpecials[i], static_cast<std::int64_t>(i));
  WordPieceTokenizer::Options options;
  options.lowerCase = lowerCase;
  const WordPieceTokenizer basic(std::move(specials), options);  // only its BasicTokenizer is used

  std::map<std::string, std::size_t> wordCounts;
  std::set<std::string> chars;
  for (const std::string& text : texts) {
    for (std::string& word : basic.basicTokenize(text)) {
      if (std::find(kBertSpecials.begin(), kBertSpecials.end(), word) != kBertSpecials.end()) continue;
      for (std::string& c : characters(word)) chars.insert(std::move(c));
      ++wordCounts[std::move(word)];
    }
  }
  std::vector<std::string> vocab = kBertSpecials;
  std::set<std::string> present(vocab.begin(), vocab.end());
  for (const std::string& c : chars)
    if (present.insert(c).second) vocab.push_back(c);
  for (const std::string& c : chars)
    if (present.insert("##" + c).second) vocab.push_back("##" + c);

  std::vector<std::pair<std::string, std::size_t>> words(wordCounts.begin(), wordCounts.end());
  std::stable_sort(words.begin(), words.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [word, count] : words) {
    if (vocab.size() >= size) break;
    if (present.insert(word).second) vocab.push_back(word);
  }
  return vocab;
}

void writeBpeFiles(const std::filesystem::path& dir, const std::vector<std::string>& texts,
                   std::size_t numMerges) {
  const auto& byteSymbols = BpeTokenizer::byteSymbols();
  std::map<std::vector<std::string>, std::size_t> words;  // word as symbols → count
  for (const std::string& text : texts) {
    for (std::string_view word : BpeTokenizer::preTokenize(text)) {
      std::vector<std::string> symbols;
      for (unsigned char byte : word) symbols.push_back(byteSymbols[byte]);
      ++words[std::move(symbols)];
    }
  }

  // Each merge updates the counts of the words that hold its pair only: recounting every pair of every word
  // for each of hundreds of merges made a tiny RoBERTa checkpoint take seconds (a minute under ASan).
  std::vector<std::pair<std::vector<std::string>, std::size_t>> wordList(words.begin(), words.end());
  std::map<BpeTokenizer::Merge, std::size_t> pairCounts;
  std::map<BpeTokenizer::Merge, std::set<std::size_t>> wordsWithPair;
  const auto countPairs = [&](std::size_t w, bool add) {
    const auto& [symbols, count] = wordList[w];
    for (std::size_t i = 0; i + 1 < symbols.size(); ++i) {
      const BpeTokenizer::Merge pair{symbols[i], symbols[i + 1]};
      if (add) {
        pairCounts[pair] += count;
        wordsWithPair[pair].insert(w);
      } else if ((pairCounts[pair] -= count) == 0) {
        pairCounts.erase(pair);
      }
    }
  };
  for (std::size_t w = 0; w < wordList.size(); ++w) countPairs(w, true);

  std::vector<BpeTokenizer::Merge> merges;
  while (merges.size() < numMerges && !pairCounts.empty()) {
    // The map is ordered, so the first pair with the highest count is the alphabetically first one.
    const auto best = std::max_element(pairCounts.begin(), pairCounts.end(),
                                       [](const auto& a, const auto& b) { return a.second < b.second; });
    const BpeTokenizer::Merge merge = best->first;
    for (const std::size_t w : std::exchange(wordsWithPair[merge], {})) {
      countPairs(w, false);
      auto& symbols = wordList[w].first;
      std::vector<std::string> next;
      for (std::size_t i = 0; i < symbols.size(); ++i) {
        if (i + 1 < symbols.size() && symbols[i] == merge.first && symbols[i + 1] == merge.second) {
          next.push_back(merge.first + merge.second);
          ++i;
        } else {
          next.push_back(symbols[i]);
        }
      }
      symbols = std::move(next);
      countPairs(w, true);
    }
    merges.push_back(merge);
  }

  nlohmann::ordered_json vocab = nlohmann::ordered_json::object();
  const auto add = [&](const std::string& token) {
    const std::size_t id = vocab.size();
    if (!vocab.contains(token)) vocab[token] = id;
  };
  for (const char* special : {"<s>", "<pad>", "</s>", "<unk>"}) add(special);
  // In bytes_to_unicode's order, printable bytes first, as GPT-2's encoder.json lists them.
  const auto printable = [](int b) {
    return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
  };
  for (const bool first : {true, false})
    for (int b = 0; b < 256; ++b)
      if (printable(b) == first) add(byteSymbols[static_cast<std::size_t>(b)]);
  std::string mergeLines = "#version: 0.2\n";
  for (const auto& [left, right] : merges) {
    add(left + right);  // two merges can make the same symbol ("a bc", "ab c"); it gets one id
    mergeLines += left + " " + right + "\n";
  }
  std::filesystem::create_directories(dir);
  writeFile(dir / "vocab.json", vocab.dump(2) + "\n");
  writeFile(dir / "merges.txt", mergeLines);
}

}  // namespace shopdesk::text
