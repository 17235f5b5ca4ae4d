#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/entity.h"
#include "common/example.h"
#include "store/connection.h"

namespace shopdesk::store {

//! The thing asked for does not exist.
class NotFoundError : public StoreError {
 public:
  using StoreError::StoreError;
};

//! The change conflicts with what is stored (a category still in use, feedback already given).
class ConflictError : public StoreError {
 public:
  using StoreError::StoreError;
};

//! A help article or next step shown beside an answer.
struct Recommendation {
  std::string title;
  std::string body;
  std::optional<std::string> actionLabel;
  std::optional<std::string> actionUrl;
};

//! A category of customer queries with the answer the store gives for it.
struct Category {
  std::int64_t id = 0;
  std::string name;
  std::string description;
  std::string response;
  std::vector<Recommendation> recommendations;
  bool smallTalk = false;  //!< a greeting, thanks or the like: answered with its reply, no feedback asked
  std::int64_t exampleCount = 0;  //!< training examples labelled with it (filled in when read)
};

//! One stored training example: its text (the query) and label (the category), its row id, and `source`,
//! where it came from (import, relabel, …).
struct TrainingExample : common::Example {
  std::int64_t id = 0;
  std::string source = "import";
};

//! What an import stored.
struct ImportSummary {
  std::int64_t received = 0;
  std::int64_t inserted = 0;
  std::int64_t duplicates = 0;                 //!< already stored, or repeated within the import
  std::vector<std::string> createdCategories;  //!< labels that were not categories before
};

//! A trained model registered in the store; its artifact lives in a model folder.
struct ModelVersion {
  std::int64_t id = 0;
  std::string version;  //!< unique name, also the artifact folder's name
  std::string kind;
  std::string artifactPath;
  std::string dataFingerprint;
  std::string metrics;  //!< the evaluation report, JSON text
  bool active = false;
  std::int64_t createdAt = 0;
};

//! A customer's verdict on one answer.
struct Feedback {
  bool helpful = false;
  std::optional<std::string> correctedCategory;
  std::optional<std::string> comment;
  std::int64_t createdAt = 0;
};

//! One question and the answer it got (the original customer_interactions row, extended).
struct Interaction {
  std::int64_t id = 0;
  std::string query;
  std::string category;
  double confidence = 0;
  std::string response;
  bool handoff = false;
  std::string modelVersion;
  std::string sessionId;
  std::string feedbackTokenHash;
  std::int64_t createdAt = 0;
  std::optional<Feedback> feedback;   //!< filled in when read
  std::optional<std::string> review;  //!< how an agent resolved it: resolved, relabeled or ignored
  std::optional<std::string> reviewedCategory;
  std::vector<std::string> clarifyOptions;   //!< the categories offered instead of a hand-off, if any
  std::optional<std::string> clarifyChoice;  //!< the one the customer picked (none: "something else")
  std::optional<std::int64_t> clarifiedAt;   //!< when the customer chose; unset while no choice was made
  std::vector<common::Entity> entities;      //!< what the question held: order numbers, emails, …
  std::optional<std::int64_t> erasedAt;  //!< when the customer's text was erased (query and response empty)
};

//! Which interactions to list; unset fields do not filter.
struct InteractionFilter {
  std::optional<std::string> category;
  std::optional<bool> handoff;
  std::optional<std::string> feedback;  //!< "helpful", "unhelpful", "corrected", "any" or "none"
  std::optional<std::int64_t> from;     //!< created at or after, Unix ms
  std::optional<std::int64_t> to;       //!< created before, Unix ms
  bool needsReview =
      false;  //!< only the review queue: hand-offs, low confidence, unhelpful or corrected, unreviewed
  double lowConfidence = 0.5;
  //! Only those whose right category is known: reviewed (resolved or relabeled), corrected by the customer,
  //! or answered and rated helpful.
  bool labelled = false;
  std::optional<std::int64_t> beforeId;  //!< only ids below it: reads a long list page by page
  bool countTotal = true;                //!< false leaves Page::total 0 and saves counting the matches
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

//! One page of a list and how many items match in all.
template <typename T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;
};

//! Which training examples to list.
struct ExampleFilter {
  std::optional<std::string> category;
  std::optional<std::string> search;  //!< substring of the query, case-insensitive for ASCII
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

//! An agent's decision on an interaction in the review queue.
enum class ReviewAction { kResolve, kRelabel, kIgnore };

//! Traffic figures for the dashboard.
struct TrafficStats {
  struct Day {
    std::int64_t day;  //!< days since 1970-01-01 (UTC)
    std::string category;
    std::int64_t count;
  };
  std::vector<Day> volume;
  std::int64_t interactions = 0;
  std::int64_t handoffs = 0;
  std::int64_t withFeedback = 0;
  std::int64_t helpful = 0;
  std::int64_t reviewed = 0;         //!< resolved or relabeled by an agent
  std::int64_t reviewedCorrect = 0;  //!< of those, the model's category was right
};

//! A background training run.
struct TrainingJob {
  std::int64_t id = 0;
  std::string kind;
  std::string status;    //!< running, succeeded, failed or cancelled
  std::string params;    //!< JSON text
  std::string progress;  //!< JSON text: epoch, epochs, loss, validation score
  std::optional<std::string> error;
  std::optional<std::string> modelVersion;
  std::int64_t createdAt = 0;
  std::optional<std::int64_t> finishedAt;
};

//! A topic report or a model comparison computed in the background, kept with its result so that any server
//! can report it to the admin polling for it.
struct AnalysisJob {
  std::int64_t id = 0;
  std::string kind;                   //!< topics or comparison
  std::string status;                 //!< running, succeeded or failed
  std::string params;                 //!< JSON text
  std::string progress;               //!< JSON text: percent, stage
  std::optional<std::string> result;  //!< JSON text, once succeeded
  std::optional<std::string> error;
  std::int64_t createdAt = 0;
  std::optional<std::int64_t> finishedAt;
};

//! A named admin token (its secret is stored only as a hash).
struct AdminToken {
  std::string name;
  std::string createdBy;
  std::int64_t createdAt = 0;
  std::optional<std::int64_t> revokedAt;
};

//! One admin action: who (a token's name, or "cli"), what (a dotted action name such as "category.save"), on
//! what, and what changed (a JSON object).
struct AuditEntry {
  std::int64_t id = 0;
  std::int64_t at = 0;
  std::string actor;
  std::string action;
  std::string target;
  std::string detail = "{}";
};

//! Which audit entries to list; unset fields do not filter.
struct AuditFilter {
  std::optional<std::string> actor;
  std::optional<std::string> action;
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

//! Row counts for `shopdesk stats`.
struct StoreStats {
  int schemaVersion = 0;
  std::int64_t categories = 0;
  std::int64_t trainingExamples = 0;
  std::int64_t interactions = 0;
  std::int64_t feedback = 0;
  std::int64_t modelVersions = 0;
  std::int64_t trainingJobs = 0;
  std::vector<std::pair<std::string, std::int64_t>> examplesBySource;
};

//! Everything shopdesk persists. Implementations are thread-safe; each method is one transaction.
class Store {
 public:
  virtual ~Store() = default;

  //! Where the data lives, safe to print (no password).
  virtual std::string describe() const = 0;
  //! Schema version after migrations.
  virtual int schemaVersion() = 0;

  //! Stores `examples` all-or-nothing, skipping ones already stored, and creates missing categories.
  virtual ImportSummary addTrainingExamples(std::span<const TrainingExample> examples) = 0;
  //! Every training example, oldest first.
  virtual std::vector<TrainingExample> trainingExamples() = 0;

  //! One page of training examples, newest first.
  virtual Page<TrainingExample> findTrainingExamples(const ExampleFilter& filter) = 0;
  //! Deletes a training example; throws NotFoundError.
  virtual void deleteTrainingExample(std::int64_t id) = 0;

  //! Every category with its recommendations and example count, by name.
  virtual std::vector<Category> categories() = 0;
  //! Creates or updates categories by name (recommendations replaced), all-or-nothing.
  virtual void saveCategories(std::span<const Category> categories) = 0;

  //! Deletes a category. When training examples use it they move to `reassignTo`; without one, ConflictError.
  virtual void deleteCategory(const std::string& name, const std::optional<std::string>& reassignTo) = 0;

  //! Stores interactions in one transaction and returns their ids, in order.
  virtual std::vector<std::int64_t> recordInteractions(std::span<const Interaction> interactions) = 0;
  //! One interaction with its feedback and review, or nullopt.
  virtual std::optional<Interaction> interaction(std::int64_t id) = 0;
  //! A page of interactions, newest first.
  virtual Page<Interaction> findInteractions(const InteractionFilter& filter) = 0;
  //! Stores feedback if `tokenHash` is the interaction's and none was given yet; throws NotFoundError (also
  //! for a wrong token, so ids cannot be probed) or ConflictError (feedback already given).
  virtual void addFeedback(std::int64_t interactionId, const std::string& tokenHash,
                           const Feedback& feedback) = 0;
  //! The interactions whose question held an entity of `kind` with `value` (as normalized), newest first.
  virtual std::vector<std::int64_t> interactionsWithEntity(const std::string& kind,
                                                           const std::string& value) = 0;
  //! Erases what the customer wrote in interactions `ids`, in one transaction: the question, the response (it
  //! may name their order), the session, the entities, the feedback's comment and the training examples made
  //! of them. Category, hand-off, confidence, times and the helpful flag stay, so traffic figures do not
  //! change. Returns how many were erased now (unknown or already erased ids count nothing).
  virtual std::int64_t eraseInteractions(std::span<const std::int64_t> ids) = 0;
  //! Records the customer's answer to a clarifying question: `choice` (one of the options offered, or none
  //! for "something else") becomes the interaction's category, with `response`; none hands it off. Throws
  //! NotFoundError (also for a wrong token), ConflictError when it asked nothing or was answered already,
  //! std::invalid_argument for a category that was not offered.
  virtual void recordClarification(std::int64_t interactionId, const std::string& tokenHash,
                                   const std::optional<std::string>& choice, const std::string& response) = 0;
  //! True when the latest interaction of `sessionId` asked a clarifying question.
  virtual bool sessionLastAsked(const std::string& sessionId) = 0;
  //! Records an agent's review; a relabel also adds the query as a training example (source "review") in the
  //! same transaction, and so does resolving an interaction whose category the customer picked from a
  //! clarifying question (source "clarification"). Throws NotFoundError, or ConflictError when it was
  //! reviewed already.
  virtual void reviewInteraction(std::int64_t id, ReviewAction action,
                                 const std::optional<std::string>& category) = 0;
  //! Traffic figures since `from` (Unix ms).
  virtual TrafficStats trafficStats(std::int64_t from) = 0;
  //! Deletes the oldest interactions created before `before` (Unix ms), at most `limit`, with their feedback,
  //! in one transaction; returns how many. Training examples an agent made of them stay.
  virtual std::int64_t deleteInteractionsBefore(std::int64_t before, std::int64_t limit) = 0;

  //! Starts a job record in state "running"; throws ConflictError while another job runs.
  virtual TrainingJob startTrainingJob(const std::string& kind, const std::string& params) = 0;
  //! Updates a job's state, progress, error and model version.
  virtual void updateTrainingJob(const TrainingJob& job) = 0;
  virtual std::optional<TrainingJob> trainingJob(std::int64_t id) = 0;
  //! The most recent jobs, newest first.
  virtual std::vector<TrainingJob> trainingJobs(std::int64_t limit) = 0;
  //! Marks jobs left "running" by a process that died as failed; returns how many.
  virtual std::int64_t failInterruptedTrainingJobs() = 0;

  //! Starts an analysis job record in state "running".
  virtual AnalysisJob startAnalysisJob(const std::string& kind, const std::string& params) = 0;
  //! Updates a job's state, progress, result and error.
  virtual void updateAnalysisJob(const AnalysisJob& job) = 0;
  virtual std::optional<AnalysisJob> analysisJob(std::int64_t id) = 0;
  //! Marks jobs left "running" by a process that stopped as failed; returns how many.
  virtual std::int64_t failInterruptedAnalysisJobs() = 0;
  //! Deletes the jobs that ended before `before` (Unix ms) with their results; returns how many.
  virtual std::int64_t deleteAnalysisJobsBefore(std::int64_t before) = 0;

  //! Registers a model version (inactive) with its artifact's bytes in one transaction, so a crash never
  //! leaves a version without its artifact; throws ConflictError when the version name is taken.
  virtual void addModelVersion(const ModelVersion& version, const std::string& artifact) = 0;
  //! Every model version, newest first.
  virtual std::vector<ModelVersion> modelVersions() = 0;
  //! One version by name, if it exists.
  virtual std::optional<ModelVersion> modelVersion(const std::string& version) = 0;
  //! The version being served, if any.
  virtual std::optional<ModelVersion> activeModelVersion() = 0;
  //! Makes `version` the only active one; throws StoreError when it does not exist.
  virtual void activateModelVersion(const std::string& version) = 0;
  //! Removes an inactive version; throws StoreError when it is active or does not exist.
  virtual void deleteModelVersion(const std::string& version) = 0;
  //! The artifact bytes of `version` (kept in the database so servers without a shared disk can load it).
  virtual std::optional<std::string> modelArtifact(const std::string& version) = 0;
  //! Counts every change to the categories, their answers and recommendations, by any process.
  virtual std::int64_t catalogRevision() = 0;
  //! Blocks up to `timeout` for a sign that the active model or the catalog may have changed (PostgreSQL:
  //! LISTEN/NOTIFY from any server; SQLite: the timeout passes). Returns true when notified. Callers re-check
  //! activeModelVersion() and catalogRevision().
  virtual bool waitForChange(std::chrono::milliseconds timeout) = 0;
  //! True when the database answers.
  virtual bool ping() = 0;

  //! Stores a new admin token under `tokenHash`; throws ConflictError when a live token has its name.
  virtual void addAdminToken(const AdminToken& token, const std::string& tokenHash) = 0;
  //! Every named token, revoked ones too, newest first.
  virtual std::vector<AdminToken> adminTokens() = 0;
  //! The token whose secret hashes to `tokenHash`, revoked or not.
  virtual std::optional<AdminToken> adminTokenByHash(const std::string& tokenHash) = 0;
  //! Revokes the live token `name` at `at` (Unix ms); throws NotFoundError when none has that name.
  virtual void revokeAdminToken(const std::string& name, std::int64_t at) = 0;
  //! Appends one entry to the audit log.
  virtual void recordAudit(const AuditEntry& entry) = 0;
  //! A page of the audit log, newest first.
  virtual Page<AuditEntry> findAudit(const AuditFilter& filter) = 0;

  virtual StoreStats stats() = 0;
};

//! Opens the store at `url`: `sqlite:PATH` (append `?mode=ro` for read-only) or `postgresql://…`, and
//! migrates it. Throws StoreError with a message that names the database.
std::unique_ptr<Store> openStore(const std::string& url);

//! The migrated connection openStore() would use, for the tools that copy whole stores (store_copy.h).
std::unique_ptr<Connection> openConnection(const std::string& url);

}  // namespace shopdesk::store
