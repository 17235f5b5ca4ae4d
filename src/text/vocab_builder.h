#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace shopdesk::text {

//! The lines of a vocab.txt for a tiny test checkpoint: [PAD] [UNK] [CLS] [SEP] [MASK] (ids 0–4), every
//! character of BERT's basic tokenization of `texts` and its "##" form (in byte order), then the most
//! frequent whole words (ties alphabetically) until `size` lines. The specials and characters are always
//! included, so the list is longer than `size` when they alone exceed it. Deterministic.
std::vector<std::string> buildWordPieceVocab(const std::vector<std::string>& texts, std::size_t size,
                                             bool lowerCase);

//! Writes a byte-level BPE vocab.json (<s>=0, <pad>=1, </s>=2, <unk>=3, the 256 byte symbols, then the merged
//! symbols) and merges.txt (#version: 0.2) into `dir`, learned by counting symbol pairs over the GPT-2
//! pre-tokenized words of `texts`, up to `numMerges` merges (ties go to the alphabetically first pair).
//! Throws std::runtime_error when a file cannot be written.
void writeBpeFiles(const std::filesystem::path& dir, const std::vector<std::string>& texts,
                   std::size_t numMerges);

}  // namespace shopdesk::text
