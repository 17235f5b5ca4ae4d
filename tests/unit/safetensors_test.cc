#include "model/safetensors.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

using namespace shopdesk::model;

namespace {

std::string file(const std::string& header, const std::string& data) {
  std::string out(8, '\0');
  const std::uint64_t size = header.size();
  std::memcpy(out.data(), &size, 8);
  return out + header + data;
}

std::string errorOf(const std::string& bytes) {
  try {
    parseSafetensors(bytes, "m.safetensors");
  } catch (const ArtifactError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Safetensors, RoundTripsTensors) {
  const auto path = std::filesystem::temp_directory_path() / ("shopdesk-st-" + std::to_string(::getpid()));
  TensorMap tensors = {{"b.bias", floatTensor({3}, {1.5f, -2.0f, 0.0f})},
                       {"a.weight", floatTensor({2, 2}, {1, 2, 3, 4})}};
  writeSafetensors(path, tensors);
  const auto back = readSafetensors(path);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back.at("a.weight").shape, (std::vector<std::int64_t>{2, 2}));
  EXPECT_EQ(back.at("a.weight").toFloats("a.weight", {2, 2}), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(back.at("b.bias").toFloats("b.bias", {3}), (std::vector<float>{1.5f, -2.0f, 0.0f}));
  std::ifstream in(path, std::ios::binary);
  std::uint64_t headerSize = 0;
  in.read(reinterpret_cast<char*>(&headerSize), 8);
  EXPECT_EQ(headerSize % 8, 0u);  // padded as the format asks
  std::filesystem::remove(path);
}

TEST(Safetensors, AFileOpenedIsReadOneTensorAtATime) {
  const auto path = std::filesystem::temp_directory_path() / ("shopdesk-st1-" + std::to_string(::getpid()));
  writeSafetensors(path, {{"a", floatTensor({2}, {1, 2})}, {"b", floatTensor({1, 3}, {3, 4, 5})}});
  SafetensorsFile file(path);
  ASSERT_EQ(file.entries().size(), 2u);
  EXPECT_EQ(file.entries().at("b").dtype, "F32");
  EXPECT_EQ(file.entries().at("b").shape, (std::vector<std::int64_t>{1, 3}));
  EXPECT_EQ(file.read("b").toFloats("b", {1, 3}), (std::vector<float>{3, 4, 5}));
  EXPECT_EQ(file.read("a").toFloats("a", {2}), (std::vector<float>{1, 2}));
  try {
    file.read("c");
    FAIL();
  } catch (const ArtifactError& e) {
    EXPECT_EQ(e.what(), path.string() + ": missing tensor 'c'");
  }
  // Floats straight into their vector: the dtype and shape are checked against the header first.
  EXPECT_EQ(file.readFloats("b", {1, 3}), (std::vector<float>{3, 4, 5}));
  try {
    file.readFloats("b", {3});
    FAIL();
  } catch (const ArtifactError& e) {
    EXPECT_EQ(e.what(), path.string() + ": tensor 'b' has shape [1, 3], expected [3]");
  }
  writeSafetensors(path.string() + ".ids", {{"ids", int64Tensor({7})}});
  SafetensorsFile ids(path.string() + ".ids");
  try {
    ids.readFloats("ids", {1});
    FAIL();
  } catch (const ArtifactError& e) {
    EXPECT_EQ(e.what(), path.string() + ".ids: tensor 'ids' has dtype I64, expected F32");
  }
  std::filesystem::remove(path.string() + ".ids");
  // Cut short: the header still promises b's bytes, and opening the file says so before reading any.
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 4);
  try {
    SafetensorsFile cut(path);
    FAIL();
  } catch (const ArtifactError& e) {
    EXPECT_EQ(e.what(), path.string() + ": tensor 'b': data offsets outside the file (truncated?)");
  }
  std::filesystem::remove(path);
}

TEST(Safetensors, ReadsTheHuggingFaceLayout) {
  // Written as Hugging Face's library lays it out: metadata, I64 and F32 tensors.
  const std::string header =
      R"({"__metadata__":{"format":"pt"},"ids":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},)"
      R"("w":{"dtype":"F32","shape":[1,1],"data_offsets":[16,20]}})";
  std::string data(20, '\0');
  const float w = 0.25f;
  std::memcpy(data.data() + 16, &w, 4);
  const auto tensors = parseSafetensors(file(header, data), "hf");
  EXPECT_EQ(tensors.size(), 2u);
  EXPECT_EQ(tensors.at("ids").dtype, "I64");
  EXPECT_EQ(tensors.at("w").toFloats("w", {1, 1})[0], 0.25f);
}

TEST(Safetensors, RejectsCorruptFilesNamingTheProblem) {
  EXPECT_EQ(errorOf("abc"), "m.safetensors: too short to be a safetensors file");
  EXPECT_EQ(errorOf(file("{}", "").substr(0, 9)),
            "m.safetensors: header length 2 does not fit the file (9 bytes)");
  EXPECT_NE(errorOf(file("{nope", "")).find("m.safetensors: malformed header"), std::string::npos);
  EXPECT_EQ(errorOf(file(R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", std::string(8, '\0'))),
            "m.safetensors: tensor 'w': data offsets outside the file (truncated?)");
  EXPECT_EQ(errorOf(file(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", std::string(8, '\0'))),
            "m.safetensors: tensor 'w': 8 bytes of data for 3 elements of F32");
  EXPECT_EQ(errorOf(file(R"({"w":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}})", "x")),
            "m.safetensors: tensor 'w': unknown dtype Q4");
  EXPECT_EQ(errorOf(file(R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", "abcd")),
            "m.safetensors: tensor 'w': malformed shape");
  EXPECT_EQ(errorOf(file(R"({"w":{"dtype":"F32","shape":[1]}})", "abcd")),
            "m.safetensors: tensor 'w': needs dtype, shape and data_offsets");

  const auto ints = parseSafetensors(
      file(R"({"i":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}})", std::string(8, '\0')), "x");
  try {
    ints.at("i").toFloats("i", {1});
    FAIL();
  } catch (const ArtifactError& e) {
    EXPECT_STREQ(e.what(), "tensor 'i' has dtype I64, expected F32");
  }
  const auto floats = parseSafetensors(
      file(R"({"f":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", std::string(8, '\0')), "x");
  EXPECT_THROW(floats.at("f").toFloats("f", {1, 2}), ArtifactError);
}

// Found by fuzzing: the element count was checked after multiplying, so [2^40, 2^40, 16] wrapped to 0
// elements and was accepted with no data.
TEST(Safetensors, AShapeWhoseElementCountOverflowsIsRefused) {
  EXPECT_EQ(
      errorOf(
          file(R"({"w":{"dtype":"F32","shape":[1099511627776,1099511627776,16],"data_offsets":[0,0]}})", "")),
      "m.safetensors: tensor 'w': shape too large");
}
