export default function ArticleNotFound() {
  return (
    <div className="not-found">
      <h1>Article not found</h1>
      <p>There is no published article at this address.</p>
    </div>
  );
}
