#include "text/subword_tokenizer.h"

#include <utf8proc.h>

#include <array>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/file.h"
#include "text/bpe_tokenizer.h"
#include "text/utf8.h"
#include "text/wordpiece_tokenizer.h"

namespace shopdesk::text {

namespace fs = std::filesystem;
using nlohmann::json;

SpecialTokens SpecialTokens::bert() {
  // Plain-string special tokens strip the white space on both sides in Hugging Face, which changes nothing
  // for BERT since its BasicTokenizer splits on white space anyway.
  std::vector<AddedToken> added;
  for (const char* token : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"})
    added.push_back({token, true, true});
  return {"[CLS]", "[SEP]", "[PAD]", "[UNK]", std::move(added)};
}

SpecialTokens SpecialTokens::roberta() {
  // RobertaTokenizer makes its special tokens AddedTokens that keep the spaces around them, except <mask>,
  // which behaves like a word: "a <mask>" must encode as "a" then <mask>, without a lone "Ġ".
  return {"<s>",
          "</s>",
          "<pad>",
          "<unk>",
          {{"<s>"}, {"<pad>"}, {"</s>"}, {"<unk>"}, {"<mask>", /*lstrip=*/true, /*rstrip=*/false}}};
}

bool isPythonSpace(char32_t cp) {
  if (cp < 0x80) return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20);
  if (cp == 0x85) return true;
  const auto category = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return category == UTF8PROC_CATEGORY_ZS || category == UTF8PROC_CATEGORY_ZL ||
         category == UTF8PROC_CATEGORY_ZP;
}

namespace {

char32_t decodeAt(std::string_view s, std::size_t pos, std::size_t* length) {
  utf8proc_int32_t cp = 0;
  const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + pos),
                                  static_cast<utf8proc_ssize_t>(s.size() - pos), &cp);
  *length = n > 0 ? static_cast<std::size_t>(n) : 1;
  return n > 0 ? static_cast<char32_t>(cp) : 0xFFFD;
}

std::string_view lstripPython(std::string_view s) {
  std::size_t length = 0;
  while (!s.empty() && isPythonSpace(decodeAt(s, 0, &length))) s.remove_prefix(length);
  return s;
}

std::string_view rstripPython(std::string_view s) {
  while (!s.empty()) {
    std::size_t start = s.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    std::size_t length = 0;
    if (!isPythonSpace(decodeAt(s, start, &length))) break;
    s.remove_suffix(s.size() - start);
  }
  return s;
}

}  // namespace

std::vector<TextPiece> splitOnAddedTokens(std::string_view text, const std::vector<AddedToken>& added) {
  std::array<bool, 256> mayStart{};
  for (const AddedToken& token : added)
    if (!token.content.empty()) mayStart[static_cast<unsigned char>(token.content[0])] = true;
  std::vector<TextPiece> pieces;
  std::size_t textStart = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    int match = -1;
    if (mayStart[static_cast<unsigned char>(text[pos])]) {
      for (std::size_t i = 0; i < added.size(); ++i) {
        const std::string& content = added[i].content;
        if (!content.empty() && text.substr(pos).starts_with(content) &&
            (match < 0 || content.size() > added[static_cast<std::size_t>(match)].content.size()))
          match = static_cast<int>(i);
      }
    }
    if (match < 0) {
      ++pos;
      continue;
    }
    pieces.push_back({text.substr(textStart, pos - textStart), -1});
    pieces.push_back({added[static_cast<std::size_t>(match)].content, match});
    pos += added[static_cast<std::size_t>(match)].content.size();
    textStart = pos;
  }
  pieces.push_back({text.substr(textStart), -1});
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (pieces[i].added < 0) continue;
    const AddedToken& token = added[static_cast<std::size_t>(pieces[i].added)];
    if (token.lstrip && i > 0 && pieces[i - 1].added < 0)
      pieces[i - 1].text = rstripPython(pieces[i - 1].text);
    if (token.rstrip && i + 1 < pieces.size() && pieces[i + 1].added < 0)
      pieces[i + 1].text = lstripPython(pieces[i + 1].text);
  }
  std::erase_if(pieces, [](const TextPiece& piece) { return piece.added < 0 && piece.text.empty(); });
  return pieces;
}

namespace {

constexpr std::int64_t kMaxTokenId = 1 << 24;  // the largest real vocabularies have about 250,000 tokens

}  // namespace

SpecialIds SpecialIds::resolve(const TokenIds& vocab, const SpecialTokens& specials) {
  const auto idOf = [&](const std::string& token) {
    const auto it = vocab.find(token);
    if (it == vocab.end()) throw TokenizerError("the vocabulary has no token " + token);
    return it->second;
  };
  SpecialIds ids;
  ids.unk = idOf(specials.unk);
  ids.cls = idOf(specials.cls);
  ids.sep = idOf(specials.sep);
  ids.pad = idOf(specials.pad);
  for (const AddedToken& added : specials.added) {
    const auto it = vocab.find(added.content);
    ids.added.push_back(it == vocab.end() ? ids.unk : it->second);
  }
  return ids;
}

std::vector<std::string> invertVocab(const TokenIds& vocab) {
  std::int64_t maxId = -1;
  for (const auto& [token, id] : vocab) {
    if (id < 0) throw TokenizerError("token \"" + token + "\" has a negative id");
    // Ids index a table as long as the largest one: a corrupt vocab.json with id 10^18 must not allocate it.
    if (id >= kMaxTokenId)
      throw TokenizerError("token \"" + token + "\" has id " + std::to_string(id) + ", above the limit of " +
                           std::to_string(kMaxTokenId - 1));
    maxId = std::max(maxId, id);
  }
  std::vector<std::string> tokens(static_cast<std::size_t>(maxId + 1));
  for (const auto& [token, id] : vocab) tokens[static_cast<std::size_t>(id)] = token;
  return tokens;
}

void checkEncodeArguments(std::string_view text, std::size_t maxLength) {
  if (maxLength < 2)
    throw std::invalid_argument("maxLength must leave room for the two special tokens, got " +
                                std::to_string(maxLength));
  if (const auto bad = findInvalidUtf8(text))
    throw std::invalid_argument("text is not valid UTF-8 at byte " + std::to_string(*bad));
}

namespace {

constexpr std::array<const char*, 7> kTokenizerFileNames = {"tokenizer.json",
                                                            "tokenizer_config.json",
                                                            "special_tokens_map.json",
                                                            "added_tokens.json",
                                                            "vocab.txt",
                                                            "vocab.json",
                                                            "merges.txt"};

json readJson(const fs::path& file) {
  try {
    return json::parse(common::readFile(file));
  } catch (const common::FileError& e) {
    throw TokenizerError(e.what());
  } catch (const json::exception& e) {
    throw TokenizerError(file.string() + ": " + e.what());
  }
}

// object[key], or null when absent, by reference so that pointers into it stay valid.
const json& member(const json& object, const char* key) {
  static const json null;
  const auto it = object.find(key);
  return it == object.end() ? null : *it;
}

// The first component of a normalizer or pre-tokenizer (possibly inside a Sequence) of the given type.
const json* findComponent(const json& component, std::string_view type) {
  if (!component.is_object()) return nullptr;
  if (component.value("type", "") == type) return &component;
  for (const char* list : {"normalizers", "pretokenizers"}) {
    if (!component.contains(list) || !component[list].is_array()) continue;
    for (const json& part : component[list])
      if (const json* found = findComponent(part, type)) return found;
  }
  return nullptr;
}

// cls/sep from a BertProcessing or RobertaProcessing post-processor, or the ends of a TemplateProcessing one.
void readPostProcessor(const json& processor, SpecialTokens& specials) {
  if (!processor.is_object()) return;
  if (processor.contains("cls") && processor.contains("sep")) {
    specials.cls = processor["cls"].at(0).get<std::string>();
    specials.sep = processor["sep"].at(0).get<std::string>();
  } else if (processor.contains("single") && processor["single"].is_array() && !processor["single"].empty()) {
    const json& single = processor["single"];
    if (single.front().contains("SpecialToken"))
      specials.cls = single.front()["SpecialToken"].at("id").get<std::string>();
    if (single.back().contains("SpecialToken"))
      specials.sep = single.back()["SpecialToken"].at("id").get<std::string>();
  }
}

std::unique_ptr<SubwordTokenizer> fromTokenizerJson(const fs::path& file, const json& config) {
  const json root = readJson(file);
  try {
    const json& model = root.at("model");
    const std::string type = model.value("type", model.contains("merges") ? "BPE" : "WordPiece");
    if (type != "WordPiece" && type != "BPE")
      throw TokenizerError("model type \"" + type + "\" is not supported (only WordPiece and BPE)");
    TokenIds vocab;
    for (const auto& [token, id] : model.at("vocab").items()) vocab[token] = id.get<std::int64_t>();
    SpecialTokens specials = type == "BPE" ? SpecialTokens::roberta() : SpecialTokens::bert();
    if (root.contains("added_tokens") && root["added_tokens"].is_array()) {
      specials.added.clear();
      for (const json& token : root["added_tokens"]) {
        const auto content = token.at("content").get<std::string>();
        vocab.emplace(content, token.at("id").get<std::int64_t>());
        specials.added.push_back({content, token.value("lstrip", false), token.value("rstrip", false)});
      }
    }
    readPostProcessor(member(root, "post_processor"), specials);
    if (root.contains("padding") && root["padding"].is_object())
      specials.pad = root["padding"].value("pad_token", specials.pad);
    if (model.contains("unk_token") && model["unk_token"].is_string())
      specials.unk = model["unk_token"].get<std::string>();

    if (type == "WordPiece") {
      WordPieceTokenizer::Options options;
      options.specials = std::move(specials);
      options.continuingPrefix = model.value("continuing_subword_prefix", "##");
      options.maxInputCharsPerWord = model.value("max_input_chars_per_word", std::size_t{100});
      const json* bert = findComponent(member(root, "normalizer"), "BertNormalizer");
      options.lowerCase = config.value("do_lower_case", bert ? bert->value("lowercase", true) : true);
      const json strip = config.contains("strip_accents") ? config["strip_accents"]
                         : bert                           ? bert->value("strip_accents", json())
                                                          : json();
      if (strip.is_boolean()) options.stripAccents = strip.get<bool>();
      options.splitChineseChars = bert ? bert->value("handle_chinese_chars", true) : true;
      return std::make_unique<WordPieceTokenizer>(std::move(vocab), std::move(options));
    }
    const json* byteLevel = findComponent(member(root, "pre_tokenizer"), "ByteLevel");
    if (byteLevel == nullptr)
      throw TokenizerError("only byte-level BPE (a ByteLevel pre_tokenizer) is supported");
    std::vector<BpeTokenizer::Merge> merges;
    for (const json& merge : model.at("merges")) {
      if (merge.is_array() && merge.size() == 2) {
        merges.emplace_back(merge[0].get<std::string>(), merge[1].get<std::string>());
        continue;
      }
      const std::string line = merge.is_string() ? merge.get<std::string>() : merge.dump();
      const auto space = line.find(' ');
      if (!merge.is_string() || space == std::string::npos || line.find(' ', space + 1) != std::string::npos)
        throw TokenizerError("merge " + line + " is not two symbols");
      merges.emplace_back(line.substr(0, space), line.substr(space + 1));
    }
    BpeTokenizer::Options options;
    options.specials = std::move(specials);
    options.addPrefixSpace = config.value("add_prefix_space", byteLevel->value("add_prefix_space", false));
    return std::make_unique<BpeTokenizer>(std::move(vocab), merges, std::move(options));
  } catch (const json::exception& e) {
    throw TokenizerError(file.string() + ": " + e.what());
  } catch (const TokenizerError& e) {
    throw TokenizerError(file.string() + ": " + e.what());
  }
}

}  // namespace

std::unique_ptr<SubwordTokenizer> loadTokenizer(const fs::path& checkpointDir) {
  if (!fs::is_directory(checkpointDir)) throw TokenizerError(checkpointDir.string() + ": is not a folder");
  const fs::path configFile = checkpointDir / "tokenizer_config.json";
  json config = json::object();
  if (fs::exists(configFile)) {
    config = readJson(configFile);
    if (!config.is_object()) throw TokenizerError(configFile.string() + ": is not a JSON object");
  }
  const auto flag = [&](const char* key, bool fallback) {
    if (!config.contains(key) || config[key].is_null()) return fallback;
    if (!config[key].is_boolean())
      throw TokenizerError(configFile.string() + ": " + key + " is not true or false");
    return config[key].get<bool>();
  };
  const auto flagOrNull = [&](const char* key, json& out) {
    if (config.contains(key) && !config[key].is_null()) out[key] = flag(key, false);
  };
  json settings = json::object();  // the checked settings of tokenizer_config.json that matter here
  flagOrNull("do_lower_case", settings);
  flagOrNull("strip_accents", settings);
  flagOrNull("tokenize_chinese_chars", settings);
  flagOrNull("add_prefix_space", settings);

  if (fs::exists(checkpointDir / "tokenizer.json"))
    return fromTokenizerJson(checkpointDir / "tokenizer.json", settings);
  const fs::path vocabJson = checkpointDir / "vocab.json";
  const fs::path mergesTxt = checkpointDir / "merges.txt";
  const fs::path vocabTxt = checkpointDir / "vocab.txt";
  if (fs::exists(vocabJson) && (fs::exists(mergesTxt) || !fs::exists(vocabTxt))) {
    BpeTokenizer::Options options;
    options.addPrefixSpace = flag("add_prefix_space", false);
    return BpeTokenizer::fromFiles(vocabJson, mergesTxt, std::move(options));
  }
  if (fs::exists(vocabTxt)) {
    WordPieceTokenizer::Options options;
    options.lowerCase = flag("do_lower_case", true);
    if (settings.contains("strip_accents")) options.stripAccents = settings["strip_accents"].get<bool>();
    options.splitChineseChars = flag("tokenize_chinese_chars", true);
    return WordPieceTokenizer::fromVocabTxt(vocabTxt, std::move(options));
  }
  throw TokenizerError(checkpointDir.string() +
                       ": has no tokenizer.json, vocab.json with merges.txt, or vocab.txt");
}

std::vector<fs::path> tokenizerFiles(const fs::path& checkpointDir) {
  std::vector<fs::path> files;
  for (const char* name : kTokenizerFileNames)
    if (fs::is_regular_file(checkpointDir / name)) files.push_back(checkpointDir / name);
  return files;
}

}  // namespace shopdesk::text
