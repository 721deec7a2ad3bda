export default function NotFound() {
  return (
    <div className="not-found">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
    </div>
  );
}
